/**
 * The worker purges messages sent more than MAIL_OUTBOX_KEEP_DAYS days ago: rows without a dedupeKey are deleted;
 * rows with one keep an emptied row, so "at most once, ever" still holds. Unsent and recent messages stay. A real
 * worker (server/mail/worker.ts), a real SMTP server, a real database.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PURGED_SUBJECT, queueMail } from "../../db/queries/outbox.server";
import { mailOutbox } from "../../db/schema";
import { MailConfigError, mailConfigFromEnv } from "../../server/mail/config";
import { startMailWorker } from "../../server/mail/worker";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

let t: TestDb;
let smtp: TestSmtp;

beforeAll(async () => {
  t = await createTestDb();
  smtp = await startTestSmtp();
});

afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

const message = (subject: string, dedupeKey: string | null = null) => ({
  kind: "test",
  organizationId: null,
  to: "keeper@example.test",
  subject,
  text: `${subject} body`,
  dedupeKey,
});

async function sentDaysAgo(id: string, days: number, status: "sent" | "failed" = "sent") {
  await t.db
    .update(mailOutbox)
    .set({ status, sentAt: sql`(now() at time zone 'utc') - make_interval(days => ${days})` })
    .where(eq(mailOutbox.id, id));
}

describe("purging old sent messages", () => {
  it("MAIL_OUTBOX_KEEP_DAYS: 30 by default, a whole number of days, else the server refuses to start", () => {
    expect(mailConfigFromEnv({}).keepSentDays).toBe(30);
    expect(mailConfigFromEnv({ MAIL_OUTBOX_KEEP_DAYS: "7" }).keepSentDays).toBe(7);
    for (const bad of ["0", "-1", "1.5", "soon"])
      expect(() => mailConfigFromEnv({ MAIL_OUTBOX_KEEP_DAYS: bad })).toThrow(MailConfigError);
  });

  it("the worker deletes old sent messages, empties old keyed ones, and keeps recent and unsent ones", async () => {
    const oldPlain = (await queueMail(t.db, message("old plain")))!;
    const oldKeyed = (await queueMail(t.db, message("old keyed", "issue-closed:sub-1")))!;
    const recent = (await queueMail(t.db, message("recent")))!;
    const oldFailed = (await queueMail(t.db, message("old failed")))!;
    await sentDaysAgo(oldPlain.id, 8);
    await sentDaysAgo(oldKeyed.id, 8);
    await sentDaysAgo(recent.id, 6);
    await sentDaysAgo(oldFailed.id, 8, "failed");

    const worker = startMailWorker({
      db: t.db,
      config: {
        smtpUrl: smtp.url,
        from: "PinPoint <pinpoint@pinpoint.test>",
        domain: "pinpoint.test",
        keepSentDays: 7,
      },
      pollMs: 200,
      log: () => {},
    });
    try {
      // Wait (polling) until the purge ran; the time limit only keeps a broken worker from hanging the test.
      for (let i = 0; i < 100; i++) {
        const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, oldPlain.id));
        if (!row) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const rows = new Map((await t.db.select().from(mailOutbox)).map((r) => [r.id, r]));
    expect(rows.has(oldPlain.id)).toBe(false);
    expect(rows.get(oldKeyed.id)).toMatchObject({
      subject: PURGED_SUBJECT,
      textBody: "",
      toAddress: "",
      status: "sent",
    });
    expect(rows.get(recent.id)?.subject).toBe("recent");
    expect(rows.get(oldFailed.id)?.subject).toBe("old failed");
    // The emptied row still says "already sent once".
    expect(await queueMail(t.db, message("old keyed again", "issue-closed:sub-1"))).toBeNull();
  });
});
