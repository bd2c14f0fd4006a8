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
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
  const numeric = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  const words = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  // The zone's name per quarter hour: formatToParts costs ten times a format (~17 µs), and a zone changes its name
  // (daylight saving) only at such a boundary. Bounded, as dates on pages cluster around now.
  const zoneNames = new Map<number, string>();
  const zoneOf = (date: Date) => {
    const quarter = Math.floor(date.getTime() / 900_000);
    let zone = zoneNames.get(quarter);
    if (zone === undefined) {
      zone = zoneName.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
      if (zoneNames.size >= 4096) zoneNames.clear();
      zoneNames.set(quarter, zone);
    }
    return zone;
  };
  return {
    timeZone,
    locale,
    dateTime: (d) => {
      const date = toDate(d);
      return `${dateTime.format(date)} ${zoneOf(date)}`;
    },
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
