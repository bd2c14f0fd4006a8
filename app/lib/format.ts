/** Dates in words for pages, the same on the server and in the browser (no server imports). */

// One formatter for the whole process: `toLocaleString` with options builds (and drops) a new Intl.DateTimeFormat on
// every call, which was ~0.7 ms per issue page in the profile (bench/ANALYSIS.md).
const DATE_TIME_UTC = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "Nov 25, 2026, 4:34 AM UTC": absolute time shown next to relative times; UTC so server and browser agree. */
export function formatDateTime(date: Date): string {
  return `${DATE_TIME_UTC.format(date)} UTC`;
}

/** An organization's date settings (Organization.timeZone / .locale); missing ones fall back to UTC and en-US. */
export interface DateSettings {
  timeZone?: string | null;
  locale?: string | null;
}

export interface DateFormatter {
  /** "Nov 25, 2026, 4:34 AM CST": date and time in the organization's zone, with the zone's short name. */
  dateTime(date: Date | string): string;
  /** "Nov 25, 2026" in the organization's zone. */
  date(date: Date | string): string;
}

const formatters = new Map<string, DateFormatter>();

/** The one formatter of absolute dates for an organization (cached per zone and locale: see DATE_TIME_UTC). */
export function dateFormatterFor(settings: DateSettings): DateFormatter {
  const timeZone = settings.timeZone || "UTC";
  const locale = settings.locale || "en-US";
  const key = `${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    const dateTime = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
    });
    const zoneName = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
    const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);
    f = {
      dateTime: (d) => {
        const date = toDate(d);
        const zone = zoneName.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
        return `${dateTime.format(date)} ${zone}`;
      },
      date: (d) => day.format(toDate(d)),
    };
    formatters.set(key, f);
  }
  return f;
}

/** "just now", "5 minutes ago", "3 days ago", "2 months ago" — computed on the server so hydration matches. */
export function timeAgo(date: Date | string, now: Date = new Date()): string {
  const then = typeof date === "string" ? new Date(date) : date;
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return "just now";
  const units: Array<[number, string]> = [
    [60 * 60 * 24 * 365, "year"],
    [60 * 60 * 24 * 30, "month"],
    [60 * 60 * 24 * 7, "week"],
    [60 * 60 * 24, "day"],
    [60 * 60, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}
