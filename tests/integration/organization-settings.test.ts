/**
 * The organization's time zone and locale (/admin/organization, app/use-cases/organization-settings.server.ts) over
 * real HTTP on the seeded demo data: apc starts in America/Chicago, dates on pages follow the setting, only holders of
 * organization:manage may change it, values Intl cannot use are refused with 400 and change nothing, and another
 * organization keeps its own.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs, organizations } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { signedIn, visible } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

const settingsOf = async (subdomain: string) =>
  (
    await t.db
      .select({ timeZone: organizations.timeZone, locale: organizations.locale })
      .from(organizations)
      .where(eq(organizations.subdomain, subdomain))
  )[0];

/** The "As of …" time of the status board. */
const asOf = async (org: string) => {
  const html = visible((await server.client({ org }).get("/status")).text);
  return /As of <time[^>]*>([^<]+)<\/time>/.exec(html)![1];
};

describe("/admin/organization", () => {
  it("the seed puts apc in America/Chicago; its dates say so, beta's stay in UTC", async () => {
    expect(await settingsOf("apc")).toEqual({ timeZone: "America/Chicago", locale: "en-US" });
    expect(await settingsOf("beta")).toEqual({ timeZone: "UTC", locale: "en-US" });
    expect(await asOf("apc")).toMatch(/ C[SD]T$/);
    expect(await asOf("beta")).toMatch(/ UTC$/);
  });

  it("members without organization:manage can neither see nor change it", async () => {
    const member = await signedIn(server, "member@dev.local");
    expect((await member.get("/admin/organization")).status).toBe(403);
    const res = await member.post("/admin/organization", { intent: "dates", timeZone: "UTC", locale: "en-US" });
    expect(res.status).toBe(403);
    expect(await settingsOf("apc")).toEqual({ timeZone: "America/Chicago", locale: "en-US" });
  });

  it("refuses zones and locales Intl cannot use, with the field's error, and changes nothing", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    for (const [timeZone, locale, field] of [
      ["Mars/Olympus", "en-US", "time zone"],
      ["CST", "en-US", "time zone"],
      ["America/Chicago", "xx_not_a_locale", "language and region"],
    ]) {
      const res = await admin.post("/admin/organization", { intent: "dates", timeZone, locale });
      expect(res.status, timeZone).toBe(400);
      expect(visible(res.text)).toContain(`Choose a ${field}`);
    }
    const missing = await admin.post("/admin/organization", { intent: "dates" });
    expect(missing.status).toBe(400);
    expect(await settingsOf("apc")).toEqual({ timeZone: "America/Chicago", locale: "en-US" });
  });

  it("an admin changes them: the form shows the choice, pages follow, the change is audited", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const page = await admin.get("/admin/organization");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="America/Chicago" selected="">America/Chicago</option>');
    const res = await admin.post("/admin/organization", {
      intent: "dates",
      timeZone: "Europe/Berlin",
      locale: "de-DE",
    });
    expect(res.status).toBe(200);
    expect(visible(res.text)).toContain("Dates are now shown in Europe/Berlin");
    expect(await settingsOf("apc")).toEqual({ timeZone: "Europe/Berlin", locale: "de-DE" });
    // German format ("29. Nov. 2026, 13:05") and Berlin's zone name.
    expect(await asOf("apc")).toMatch(/^\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} MES?Z$/);
    expect(await asOf("beta")).toMatch(/ UTC$/);
    const audits = await t.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, "organization.dates_changed")));
    expect(audits).toHaveLength(1);
  });
});
