/**
 * app/lib/format.ts: every absolute date in the organization's zone and locale with the zone's name, relative times
 * from Intl.RelativeTimeFormat; core/time-zones.ts: what the settings form accepts, and the day of a moment in a zone.
 */
import { describe, expect, it } from "vitest";
import { dateFormatterFor } from "~/lib/format";
import { dayIn, isValidLocale, isValidTimeZone, timeZoneChoices } from "../../core/time-zones";

const at = new Date("2026-11-25T04:34:00Z");

describe("dateFormatterFor", () => {
  it("formats in the organization's zone and names it", () => {
    expect(dateFormatterFor({ timeZone: "America/Chicago", locale: "en-US" }).dateTime(at)).toBe(
      "Nov 24, 2026, 10:34 PM CST",
    );
    expect(dateFormatterFor({ timeZone: "America/Chicago", locale: "en-US" }).date(at)).toBe("Nov 24, 2026");
    expect(dateFormatterFor({}).dateTime(at)).toBe("Nov 25, 2026, 4:34 AM UTC");
  });

  it("names the zone right on both sides of a daylight-saving change", () => {
    const chicago = dateFormatterFor({ timeZone: "America/Chicago", locale: "en-US" });
    // 2026-03-08 02:00 local: CST ends at 08:00 UTC.
    expect(chicago.dateTime(new Date("2026-03-08T07:59:00Z"))).toBe("Mar 8, 2026, 1:59 AM CST");
    expect(chicago.dateTime(new Date("2026-03-08T08:00:00Z"))).toBe("Mar 8, 2026, 3:00 AM CDT");
    expect(chicago.dateTime(new Date("2026-03-08T08:14:59Z"))).toBe("Mar 8, 2026, 3:14 AM CDT");
  });

  it("uses the organization's locale, with the month in words for dates and times alike", () => {
    const berlin = dateFormatterFor({ timeZone: "Europe/Berlin", locale: "de-DE" });
    expect(berlin.dateTime(at)).toBe("25. Nov. 2026, 05:34 MEZ");
    expect(berlin.date(at)).toBe("25. Nov. 2026");
  });

  it("falls back to UTC in en-US for settings the runtime cannot use", () => {
    expect(dateFormatterFor({ timeZone: "Mars/Olympus", locale: "en-US" }).dateTime(at)).toBe(
      "Nov 25, 2026, 4:34 AM UTC",
    );
  });

  it("relative times through Intl.RelativeTimeFormat, in the locale", () => {
    const now = new Date("2026-11-20T18:00:00Z");
    const en = dateFormatterFor({ locale: "en-US" });
    expect(en.relative(new Date("2026-11-20T17:59:30Z"), now)).toBe("now");
    expect(en.relative(new Date("2026-11-20T17:55:00Z"), now)).toBe("5 minutes ago");
    expect(en.relative(new Date("2026-11-20T17:00:00Z"), now)).toBe("1 hour ago");
    expect(en.relative(new Date("2026-11-17T18:00:00Z"), now)).toBe("3 days ago");
    expect(en.relative(new Date("2026-09-01T18:00:00Z"), now)).toBe("2 months ago");
    expect(en.relative(new Date("2027-01-01T00:00:00Z"), now)).toBe("now");
    expect(dateFormatterFor({ locale: "fr-FR" }).relative(new Date("2026-11-17T18:00:00Z"), now)).toBe(
      "il y a 3 jours",
    );
  });
});

describe("core/time-zones", () => {
  it("accepts IANA zones and refuses abbreviations, offsets and junk", () => {
    for (const ok of ["America/Chicago", "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"])
      expect(isValidTimeZone(ok), ok).toBe(true);
    for (const bad of ["CST", "Mars/Olympus", "+05:00", "", "America/Chicago; drop", "a".repeat(80)])
      expect(isValidTimeZone(bad), bad).toBe(false);
    expect(timeZoneChoices()).toContain("America/Chicago");
    expect(timeZoneChoices()).toContain("UTC");
  });

  it("accepts supported locales only", () => {
    for (const ok of ["en-US", "de-DE", "fr-CA"]) expect(isValidLocale(ok), ok).toBe(true);
    for (const bad of ["", "english", "en_US", "xx-YY-ZZ-QQ-RR", "<script>"])
      expect(isValidLocale(bad), bad).toBe(false);
  });

  it("the day of a moment depends on the zone", () => {
    expect(dayIn(at, "UTC")).toBe("2026-11-25");
    expect(dayIn(at, "America/Chicago")).toBe("2026-11-24");
  });
});

describe("days in a zone", () => {
  it("a day begins at local midnight, also across a daylight-saving change", async () => {
    const { addDays, startOfDayIn } = await import("../../core/time-zones");
    expect(startOfDayIn("2026-11-24", "America/Chicago").toISOString()).toBe("2026-11-24T06:00:00.000Z");
    expect(startOfDayIn("2026-07-01", "America/Chicago").toISOString()).toBe("2026-07-01T05:00:00.000Z");
    // 2026-03-08: clocks go forward at 2:00 in Chicago; the day still begins at 6:00 UTC and the next at 5:00 UTC.
    expect(startOfDayIn("2026-03-08", "America/Chicago").toISOString()).toBe("2026-03-08T06:00:00.000Z");
    expect(startOfDayIn(addDays("2026-03-08", 1), "America/Chicago").toISOString()).toBe("2026-03-09T05:00:00.000Z");
    expect(startOfDayIn("2026-11-24", "UTC").toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(startOfDayIn("2026-11-24", "Asia/Kolkata").toISOString()).toBe("2026-11-23T18:30:00.000Z");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});
