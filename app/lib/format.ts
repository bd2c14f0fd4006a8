/**
 * Dates in words for pages and e-mails, the same on the server and in the browser (no server imports). Every absolute
 * date goes through `dateFormatterFor(organization)`: the organization's IANA time zone and locale
 * (Organization.timeZone / .locale, set on /admin/organization), the zone's short name shown after the time. Relative
 * times ("3 days ago") come from Intl.RelativeTimeFormat in the same locale. Dates are formatted on the server and
 * sent as text, so hydration matches whatever the browser's own zone is.
 */

/** An organization's date settings; missing (or unusable) ones fall back to UTC and en-US. */
export interface DateSettings {
  timeZone?: string | null;
  locale?: string | null;
}

export interface DateFormatter {
  readonly timeZone: string;
  readonly locale: string;
  /** "Nov 25, 2026, 10:34 PM CST": date and time in the organization's zone, with the zone's short name. */
  dateTime(date: Date | string): string;
  /** "Nov 25, 2026" in the organization's zone. */
  date(date: Date | string): string;
  /** "5 minutes ago", "3 days ago", "now" (Intl.RelativeTimeFormat); a time in the future reads as now. */
  relative(date: Date | string, now?: Date): string;
}

export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_LOCALE = "en-US";

// One set of Intl formatters per zone and locale for the whole process: building an Intl.DateTimeFormat per call was
// ~0.7 ms per issue page in the profile (bench/ANALYSIS.md).
const formatters = new Map<string, DateFormatter>();

const RELATIVE_UNITS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60 * 60 * 24 * 365, "year"],
  [60 * 60 * 24 * 30, "month"],
  [60 * 60 * 24 * 7, "week"],
  [60 * 60 * 24, "day"],
  [60 * 60, "hour"],
  [60, "minute"],
];

const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

function build(timeZone: string, locale: string): DateFormatter {
  // Named parts rather than dateStyle/timeStyle: those cannot carry the zone's name, which would then take a second,
  // ten times slower formatToParts per date. In en-US both read "Nov 25, 2026, 10:34 PM CST".
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  });
  const day = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone });
  const numeric = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  const words = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  return {
    timeZone,
    locale,
    dateTime: (d) => dateTime.format(toDate(d)),
    date: (d) => day.format(toDate(d)),
    relative: (d, now = new Date()) => {
      const seconds = Math.max(0, Math.round((now.getTime() - toDate(d).getTime()) / 1000));
      for (const [size, unit] of RELATIVE_UNITS) {
        if (seconds >= size) return numeric.format(-Math.floor(seconds / size), unit);
      }
      return words.format(0, "second");
    },
  };
}

/** The one formatter of dates for an organization (or, for account e-mails that belong to none, UTC in en-US). */
export function dateFormatterFor(settings: DateSettings): DateFormatter {
  const timeZone = settings.timeZone || DEFAULT_TIME_ZONE;
  const locale = settings.locale || DEFAULT_LOCALE;
  const key = `${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = build(timeZone, locale);
    } catch {
      // Settings are checked when saved (core/time-zones.ts); a value this runtime cannot use still shows dates.
      f = build(DEFAULT_TIME_ZONE, DEFAULT_LOCALE);
    }
    formatters.set(key, f);
  }
  return f;
}
