/**
 * The mail outbox and its worker: messages exist exactly when their transaction commits, one claim per message
 * (lease), delivery over real SMTP with retries when the server is down or defers, failure on a permanent refusal,
 * only known extra headers; and the admin page that lists an organization's messages (never account messages).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";
import { listUnsubscribeHeaders } from "../../core/mail/headers";
import { claimNextMail, onMailQueued, queueMail, type OutgoingMail } from "../../db/queries/outbox.server";
import { mailOutbox } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { withTransaction } from "../../db/transaction.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, visible } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
});

afterAll(async () => {
  await t?.close();
});

let counter = 0;
function message(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  counter += 1;
  return {
    kind: "test",
    organizationId: null,
    to: `person-${counter}@example.com`,
    subject: `Message ${counter}`,
    text: `Hello ${counter}\n`,
    html: `<p>Hello ${counter}</p>`,
    ...overrides,
  };
}

async function rowOf(id: string) {
  const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

/** Polls the database until `check` holds for the row (the worker runs on its own schedule). */
async function waitForRow(id: string, check: (row: typeof mailOutbox.$inferSelect) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = await rowOf(id);
    if (check(row)) return row;
    if (Date.now() > deadline) throw new Error(`row ${id} never got there: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Makes a deferred message due now (instead of waiting out its backoff). */
async function makeDue(id: string) {
  await t.db
    .update(mailOutbox)
    .set({ nextAttemptAt: sql`(now() at time zone 'utc') - interval '1 second'` })
    .where(eq(mailOutbox.id, id));
}

describe("queueing and claiming", () => {
  it("a message exists only when its transaction commits, and the worker is woken after the commit", async () => {
    let woken = 0;
    const stop = onMailQueued(() => (woken += 1));
    try {
      const failing = message();
      await expect(
        withTransaction(t.db, async (tx) => {
          await queueMail(tx, failing);
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, failing.to))).toHaveLength(0);
      expect(woken).toBe(0);

      let wokenInside = -1;
      const ok = message();
      const queued = await withTransaction(t.db, async (tx) => {
        const row = await queueMail(tx, ok);
        wokenInside = woken;
        return row;
      });
      expect(wokenInside).toBe(0);
      expect(woken).toBe(1);
      expect(queued && (await rowOf(queued.id)).status).toBe("pending");
    } finally {
      stop();
      await t.db.delete(mailOutbox);
    }
  });

  it("a dedupe key queues at most one message", async () => {
    const first = await queueMail(t.db, message({ dedupeKey: "invite:123" }));
    const second = await queueMail(t.db, message({ dedupeKey: "invite:123" }));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await t.db.delete(mailOutbox);
  });

  it("claims each message once while its lease holds, oldest first, and again once the lease has expired", async () => {
    const a = (await queueMail(t.db, message()))!;
    const b = (await queueMail(t.db, message()))!;
    const [one, two, three] = await Promise.all([
      claimNextMail(t.db, { leaseSeconds: 60 }),
      claimNextMail(t.db, { leaseSeconds: 60 }),
      claimNextMail(t.db, { leaseSeconds: 60 }),
    ]);
    const claimed = [one, two, three].filter((c) => c !== null);
    expect(claimed.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(claimed.every((c) => c.attempts === 1)).toBe(true);
    expect(await claimNextMail(t.db, { leaseSeconds: 60 })).toBeNull();
    // The worker holding `a` died: once its lease runs out, another worker takes the message over.
    await t.db
      .update(mailOutbox)
      .set({ lockedUntil: sql`(now() at time zone 'utc') - interval '1 second'` })
      .where(eq(mailOutbox.id, a.id));
    const takeover = await claimNextMail(t.db, { leaseSeconds: 60 });
    expect(takeover?.id).toBe(a.id);
    expect(takeover?.attempts).toBe(2);
    await t.db.delete(mailOutbox);
  });
});

describe("delivery over SMTP", () => {
  let port: number;
  let server: TestServer;
  let smtp: TestSmtp | undefined;

  beforeAll(async () => {
    port = await freePort();
    // Nothing listens on `port` yet: the SMTP server is "down" until the first test starts it.
    server = await startTestServer(t.db, { mail: { smtpUrl: `smtp://127.0.0.1:${port}` } });
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await t.db.delete(mailOutbox);
  });

  it("keeps messages while the SMTP server is down and delivers each once when it is back", async () => {
    const ids = [(await queueMail(t.db, message()))!.id, (await queueMail(t.db, message()))!.id];
    for (const id of ids) {
      const row = await waitForRow(id, (r) => r.attempts >= 1 && r.lockedUntil === null && r.lastError !== null);
      expect(row.status).toBe("pending");
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(row.createdAt.getTime());
    }
    smtp = await startTestSmtp({ port });
    for (const id of ids) await makeDue(id);
    await smtp.waitFor((all) => all.length >= 2);
    for (const id of ids) {
      const row = await waitForRow(id, (r) => r.status === "sent");
      expect(row.sentAt).not.toBeNull();
      expect(smtp.accepted.filter((m) => m.messageId === `<${id}@pinpoint.test>`)).toHaveLength(1);
    }
  });

  it("retries a message the server defers (4xx) and delivers it once", async () => {
    smtp!.refuseNext(1, 451, "Greylisted, try again later");
    const { id } = (await queueMail(t.db, message()))!;
    const deferred = await waitForRow(id, (r) => r.attempts === 1 && r.lastError !== null && r.lockedUntil === null);
    expect(deferred.status).toBe("pending");
    expect(deferred.lastError).toContain("451");
    await makeDue(id);
    const sent = await waitForRow(id, (r) => r.status === "sent");
    expect(sent.attempts).toBe(2);
    expect(smtp!.accepted.filter((m) => m.messageId === `<${id}@pinpoint.test>`)).toHaveLength(1);
  });

  it("marks a message failed at once when the server refuses it for good (5xx), and keeps it", async () => {
    smtp!.refuseNext(1, 550, "No such mailbox");
    const { id } = (await queueMail(t.db, message()))!;
    const failed = await waitForRow(id, (r) => r.status === "failed");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain("550");
  });

  it("sends only known extra headers, with the stored subject, text and HTML", async () => {
    const unsubscribe = listUnsubscribeHeaders("https://apc.pinpoint.test/unsubscribe/abc");
    const queued = message({
      headers: {
        ...unsubscribe,
        Bcc: "spy@example.com",
        Subject: "Replaced",
        "X-Injected": "a\r\nBcc: spy@example.com",
      },
    });
    const { id } = (await queueMail(t.db, queued))!;
    const [mail] = (await smtp!.waitFor((all) => all.some((m) => m.to === queued.to))).filter(
      (m) => m.to === queued.to,
    );
    expect(mail.messageId).toBe(`<${id}@pinpoint.test>`);
    expect(mail.subject).toBe(queued.subject);
    expect(mail.text.trim()).toBe(queued.text.trim());
    expect(mail.html).toContain(`<p>Hello`);
    expect(mail.header("list-unsubscribe")).toContain("https://apc.pinpoint.test/unsubscribe/abc");
    expect(mail.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.raw).not.toMatch(/^(bcc|x-injected):/im);
    expect(smtp!.arrived.some((m) => m.to.includes("spy@example.com"))).toBe(false);
  });
});

describe("the admin outbox page (no SMTP_URL: messages wait)", () => {
  let server: TestServer;
  let apcId: string;
  let betaId: string;

  beforeAll(async () => {
    server = await startTestServer(t.db);
    apcId = await orgIdOf(t.db, "apc");
    betaId = await orgIdOf(t.db, "beta");
    await queueMail(
      t.db,
      message({
        organizationId: apcId,
        kind: "invitation",
        subject: "Join the Austin Pinball Collective",
        text: "Open https://apc.pinpoint.test/invite/abcdef to join.\n",
      }),
    );
    await queueMail(
      t.db,
      message({ organizationId: betaId, subject: "A beta organization message", text: "For beta only.\n" }),
    );
    await queueMail(
      t.db,
      message({
        kind: "password_reset",
        to: "member@dev.local",
        subject: "Choose a new PinPoint password",
        text: "Use https://apc.pinpoint.test/reset-password/secret-account-link\n",
      }),
    );
  });

  afterAll(async () => {
    await server?.close();
    await t.db.delete(mailOutbox);
  });

  it("lists the organization's messages with their text and links, never account messages or other organizations'", async () => {
    const admin = server.client({ org: "apc" });
    await admin.login("admin@dev.local");
    const page = await admin.get("/admin/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Join the Austin Pinball Collective");
    expect(page.text).toContain('href="https://apc.pinpoint.test/invite/abcdef"');
    expect(visible(page.text)).toContain("1 waiting, 0 sent, 0 failed");
    expect(page.text).not.toContain("secret-account-link");
    expect(page.text).not.toContain("Choose a new PinPoint password");
    expect(page.text).not.toContain("A beta organization message");

    const beta = server.client({ org: "beta" });
    await beta.login("admin@beta.local");
    const betaPage = await beta.get("/admin/outbox");
    expect(betaPage.status).toBe(200);
    expect(betaPage.text).toContain("A beta organization message");
    expect(betaPage.text).not.toContain("Join the Austin Pinball Collective");
    expect(betaPage.text).not.toContain("secret-account-link");
  });

  it("is for those who manage members only", async () => {
    const member = server.client({ org: "apc" });
    await member.login("member@dev.local");
    expect((await member.get("/admin/outbox")).status).toBe(403);
    const anonymous = await server.client({ org: "apc" }).get("/admin/outbox");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });

  it("pages through many messages", async () => {
    for (let i = 0; i < 25; i++) await queueMail(t.db, message({ organizationId: apcId, subject: `Bulk ${i}` }));
    const admin = server.client({ org: "apc" });
    await admin.login("admin@dev.local");
    const first = await admin.get("/admin/outbox");
    expect(first.text).toContain("Bulk 24");
    expect(first.text).not.toContain("Join the Austin Pinball Collective");
    const second = await admin.get("/admin/outbox?page=2");
    expect(second.text).toContain("Join the Austin Pinball Collective");
    expect((await admin.get("/admin/outbox?page=abc")).status).toBe(200);
  });
});
