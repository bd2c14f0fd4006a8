/**
 * migrations/0010_notification_email_per_kind.sql on a database with accounts: each account's single e-mail
 * frequency becomes its choice for every kind of notification (weekly → daily digest, never → off); the switch for
 * all e-mails (emailNotificationsEnabled) is kept as it was.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type Db } from "../../db/client.server";
import { createTestDb, type TestDb } from "../helpers/db";

const BEFORE = "0009_issue_subscribers";
let t: TestDb;
let db: Db;
let tmp: string;

async function migrate(folder: string) {
  if (t.kind === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(db as never, { migrationsFolder: folder });
  } else {
    const { migrate: run } = await import("drizzle-orm/postgres-js/migrator");
    await run(db as never, { migrationsFolder: folder });
  }
}

function migrationsUpTo(last: string): string {
  const out = path.join(tmp, "migrations");
  fs.mkdirSync(path.join(out, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((e) => e.tag === last);
  expect(end).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, end + 1);
  for (const e of journal.entries)
    fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(out, `${e.tag}.sql`));
  fs.writeFileSync(path.join(out, "meta", "_journal.json"), JSON.stringify(journal));
  return out;
}

async function rows<T>(query: string): Promise<T[]> {
  const res = await db.execute(sql.raw(query));
  return ((res as unknown as { rows?: T[] }).rows ?? (res as unknown as T[])) as T[];
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "notification-email-migration-"));
  t = await createTestDb({ migrate: false });
  db = t.db;
  await migrate(migrationsUpTo(BEFORE));
  await rows(`insert into "User" (id, email, "notificationFrequency", "emailNotificationsEnabled") values
    ('u-now', 'now@example.test', 'IMMEDIATE', true),
    ('u-daily', 'daily@example.test', 'DAILY', true),
    ('u-weekly', 'weekly@example.test', 'WEEKLY', true),
    ('u-never', 'never@example.test', 'DISABLED', true),
    ('u-switched-off', 'off@example.test', 'IMMEDIATE', false)`);
  await migrate(migrationsFolder);
});

afterAll(async () => {
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
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
