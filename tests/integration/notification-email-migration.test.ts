/**
 * migrations/0010_notification_email_per_kind.sql on a database with accounts: each account's single e-mail
 * frequency becomes its choice for every kind of notification (weekly → daily digest, never → off); the switch for
 * all e-mails (emailNotificationsEnabled) is kept as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type Db } from "../../db/client.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { migrationsUpTo, rawRows, runMigrations } from "../helpers/migrations";

const rows = <T>(query: string) => rawRows<T>(db, query);

const BEFORE = "0009_issue_subscribers";
let t: TestDb;
let db: Db;

beforeAll(async () => {
  t = await createTestDb({ migrate: false });
  db = t.db;
  const upTo = migrationsUpTo(BEFORE);
  await runMigrations(t, upTo.folder);
  upTo.remove();
  await rows(`insert into "User" (id, email, "notificationFrequency", "emailNotificationsEnabled") values
    ('u-now', 'now@example.test', 'IMMEDIATE', true),
    ('u-daily', 'daily@example.test', 'DAILY', true),
    ('u-weekly', 'weekly@example.test', 'WEEKLY', true),
    ('u-never', 'never@example.test', 'DISABLED', true),
    ('u-switched-off', 'off@example.test', 'IMMEDIATE', false)`);
  await runMigrations(t, migrationsFolder);
});

afterAll(async () => {
  await t?.close();
});

describe("per-kind e-mail choices from the single setting", () => {
  it("every kind gets the account's old frequency; the switch stays", async () => {
    const got = await rows<{ id: string; byKind: unknown; on: boolean }>(
      `select id, "emailFrequencyByKind" as "byKind", "emailNotificationsEnabled" as "on" from "User" order by id`,
    );
    const all = (c: string) => ({ ISSUE_ASSIGNED: c, ISSUE_COMMENTED: c, ISSUE_UPDATED: c, ISSUE_CREATED: c });
    const parsed = Object.fromEntries(
      got.map((r) => [r.id, { byKind: typeof r.byKind === "string" ? JSON.parse(r.byKind) : r.byKind, on: r.on }]),
    );
    expect(parsed).toEqual({
      "u-daily": { byKind: all("DAILY"), on: true },
      "u-never": { byKind: all("OFF"), on: true },
      "u-now": { byKind: all("IMMEDIATE"), on: true },
      "u-switched-off": { byKind: all("IMMEDIATE"), on: false },
      "u-weekly": { byKind: all("DAILY"), on: true },
    });
    // Accounts made after the migration start empty and follow notificationFrequency (core/notification-email.ts).
    await rows(`insert into "User" (id, email) values ('u-new', 'new@example.test')`);
    const [fresh] = await rows<{ byKind: unknown }>(
      `select "emailFrequencyByKind" as "byKind" from "User" where id = 'u-new'`,
    );
    expect(typeof fresh.byKind === "string" ? JSON.parse(fresh.byKind) : fresh.byKind).toEqual({});
  });
});
