/**
 * Abuse of the public and sign-in doors, over real HTTP (production build) on a real database:
 * - sign-in limits cannot be turned against an account's owner: failures are counted per (account, address) and per
 *   address, successes never count, and many failures for one account slow its sign-ins down instead of refusing them;
 * - "me too" stuffing: the voter cookie is signed, and anonymous votes per issue per address per day are capped;
 * - double submits: report, new-issue and comment forms carry an idempotency key; repeats (also concurrent) with one
 *   key create one row and get the first answer.
 * The server trusts X-Forwarded-For here, so one test can speak from several addresses.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RULES, resetRateLimits } from "~/lib/rate-limit.server";
import { comments, idempotencyKeys, issues, upvotes } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  machineByName,
  makeTempUploadDir,
  openIssueOf,
  orgIdOf,
  priorityIdOf,
  signedIn,
  userIdOf,
} from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir();

const PASSWORD = "dev-login-123";
let t: TestDb;
let server: TestServer;
let apcId: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db, { trustProxy: true });
  apcId = await orgIdOf(t.db, "apc");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

/** A fresh browser (no cookies) at `ip`. */
function from(ip: string, org = "apc"): { client: TestClient; headers: Record<string, string> } {
  return { client: server.client({ org }), headers: { "X-Forwarded-For": ip } };
}

async function signIn(ip: string, email: string, password: string) {
  const { client, headers } = from(ip);
  return client.post("/login", { email, password, redirectTo: "/" }, headers);
}

describe("sign-in limits cannot lock the owner out", () => {
  it("an attacker's wrong passwords from one address do not stop the owner signing in from another", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await signIn("198.51.100.10", "player@dev.local", `wrong-guess-${i}`)).status);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    // The attacker is still stopped at his own address …
    expect(statuses.at(-1)).toBe(429);
    // … while the owner, at home, gets in.
    const owner = await signIn("203.0.113.20", "player@dev.local", PASSWORD);
    expect(owner.status).toBe(302);
    expect(owner.setCookies.some((c) => /pinpoint_session=/.test(c))).toBe(true);
  });

  it("successful sign-ins never count against a limit (10 for one account, 21 from one address)", async () => {
    for (let i = 0; i < 10; i++) expect((await signIn("203.0.113.30", "member@dev.local", PASSWORD)).status).toBe(302);
    for (let i = 0; i < 11; i++) expect((await signIn("203.0.113.30", "player@dev.local", PASSWORD)).status).toBe(302);
    // 21 password hashes in a row, and player@ may still be slowed down by the test above: allow for a busy machine.
  }, 180_000);

  it("(account, address A) is refused after its limit while (account, address B) is not", async () => {
    let refusedAfter = 0;
    for (let i = 0; i < 30; i++) {
      const res = await signIn("198.51.100.40", "roger.sharpe@pinpoint.dev", `wrong-${i}`);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.text).toContain("Too many sign-in attempts");
        refusedAfter = i;
        break;
      }
      expect(res.status).toBe(400);
    }
    expect(refusedAfter).toBeGreaterThan(0);
    // Even the right password is refused from A for now: whoever is there has guessed too often.
    expect((await signIn("198.51.100.40", "roger.sharpe@pinpoint.dev", PASSWORD)).status).toBe(429);
    // From B a wrong password is an ordinary mistake, and the right one works.
    expect((await signIn("203.0.113.41", "roger.sharpe@pinpoint.dev", "typo")).status).toBe(400);
    expect((await signIn("203.0.113.41", "roger.sharpe@pinpoint.dev", PASSWORD)).status).toBe(302);
    // Another account from A is not affected by A's guesses at this one.
    expect((await signIn("198.51.100.40", "admin@dev.local", PASSWORD)).status).toBe(302);
  });

  it("many addresses failing for one account slow its sign-ins down but never refuse them", async () => {
    for (let i = 1; i <= 12; i++) {
      expect((await signIn(`192.0.2.${i}`, "admin@dev.local", `wrong-${i}`)).status).toBe(400);
    }
    expect((await signIn("203.0.113.50", "admin@dev.local", PASSWORD)).status).toBe(302);
  });

  it("a successful password change does not count against the password-change limit", async () => {
    const c = await signedIn(server, "gary.stern@pinpoint.dev");
    let current = PASSWORD;
    for (let i = 0; i < 9; i++) {
      const next = `Fresh-passphrase-${i}-${crypto.randomUUID()}`;
      const res = await c.post("/account", { intent: "password", current, password: next, confirm: next });
      expect(res.status).toBe(200);
      current = next;
    }
  });
});

describe("me too cannot be stuffed", () => {
  async function openIssue(machineName: string) {
    const { machine, issueId } = await openIssueOf(t.db, apcId, machineName);
    return { machineId: machine.id, issueId };
  }

  async function anonymousVotes(issueId: string) {
    const [row] = await t.db
      .select({ n: count() })
      .from(upvotes)
      .where(and(eq(upvotes.issueId, issueId), isNull(upvotes.userId)));
    return Number(row.n);
  }

  it("dropping the cookie 10 times from one address counts at most 3 votes per issue; another address still counts", async () => {
    const { machineId, issueId } = await openIssue("Ultraman: Kaiju Rumble (Blood Sucker Edition)");
    const before = await anonymousVotes(issueId);
    // Ten cookie-less browsers at once (concurrent, so the cap must hold under races too).
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => {
        const { client, headers } = from("198.51.100.60");
        return client.post(`/m/${machineId}`, { intent: "metoo", issueId }, headers);
      }),
    );
    for (const a of answers) expect(a.status).toBe(302);
    expect(await anonymousVotes(issueId)).toBe(before + 3);
    // The ones over the cap are thanked, and told so.
    expect(answers.filter((a) => a.location?.includes("full=1"))).toHaveLength(7);
    const { client, headers } = from("198.51.100.61");
    expect((await client.post(`/m/${machineId}`, { intent: "metoo", issueId }, headers)).status).toBe(302);
    expect(await anonymousVotes(issueId)).toBe(before + 4);
  });

  it("a forged or tampered voter cookie is ignored: it never takes over someone else's vote", async () => {
    const { machineId, issueId } = await openIssue("Cleopatra");
    const victim = from("198.51.100.70");
    expect((await victim.client.post(`/m/${machineId}`, { intent: "metoo", issueId }, victim.headers)).status).toBe(
      302,
    );
    expect((await victim.client.get(`/m/${machineId}`, victim.headers)).text).toContain("You said me too");
    const [vote] = await t.db.select({ voterKey: upvotes.voterKey }).from(upvotes).where(eq(upvotes.issueId, issueId));
    const victimKey = vote.voterKey!;
    const signed = victim.client.cookies.get("pinpoint_voter")!;

    // The victim's key in the cookie's plain encoding (what an unsigned cookie would hold), and the victim's
    // signature glued to a different value.
    const plain = encodeURIComponent(Buffer.from(JSON.stringify(victimKey)).toString("base64"));
    const otherKey = crypto.randomBytes(16).toString("hex");
    const tampered = `${encodeURIComponent(Buffer.from(JSON.stringify(otherKey)).toString("base64"))}.${decodeURIComponent(signed).split(".").pop()}`;
    for (const forged of [plain, tampered]) {
      const attacker = from("198.51.100.71");
      attacker.client.cookies.set("pinpoint_voter", forged);
      expect((await attacker.client.get(`/m/${machineId}`, attacker.headers)).text).not.toContain("You said me too");
      const res = await attacker.client.post(`/m/${machineId}`, { intent: "metoo", issueId }, attacker.headers);
      expect(res.status).toBe(302);
      expect(res.location).not.toContain("already=1");
      // A fresh, signed key replaces the forged one.
      expect(res.setCookies.some((c) => c.startsWith("pinpoint_voter="))).toBe(true);
    }
    const keys = (
      await t.db.select({ voterKey: upvotes.voterKey }).from(upvotes).where(eq(upvotes.issueId, issueId))
    ).map((r) => r.voterKey);
    expect(keys.filter((k) => k === victimKey)).toHaveLength(1);
    expect(keys).not.toContain(otherKey);
  });

  it("a signed-in member's vote still counts once, also from an address that used up the anonymous cap", async () => {
    const { machineId, issueId } = await openIssue("Ultraman: Kaiju Rumble (Blood Sucker Edition)");
    for (let i = 0; i < 4; i++) {
      const { client, headers } = from("198.51.100.80");
      await client.post(`/m/${machineId}`, { intent: "metoo", issueId }, headers);
    }
    const member = await signedIn(server, "player@dev.local");
    const headers = { "X-Forwarded-For": "198.51.100.80" };
    const first = await member.post(`/m/${machineId}`, { intent: "metoo", issueId }, headers);
    expect(first.status).toBe(302);
    expect(first.location).not.toContain("already=1");
    expect((await member.post(`/m/${machineId}`, { intent: "metoo", issueId }, headers)).location).toContain(
      "already=1",
    );
    const playerId = await userIdOf(t.db, "player@dev.local");
    const mine = await t.db
      .select({ id: upvotes.id })
      .from(upvotes)
      .where(and(eq(upvotes.issueId, issueId), eq(upvotes.userId, playerId)));
    expect(mine).toHaveLength(1);
  });
});

/** The idempotency key rendered into the page's form, or a client-made one when the form has none. */
function formKey(html: string): { key: string; fromForm: boolean } {
  const m = /name="idempotencyKey" value="([^"]+)"/.exec(html) ?? /value="([^"]+)" name="idempotencyKey"/.exec(html);
  return m ? { key: m[1], fromForm: true } : { key: crypto.randomUUID(), fromForm: false };
}

async function issueCount(where?: ReturnType<typeof eq>) {
  const [row] = await t.db.select({ n: count() }).from(issues).where(where);
  return Number(row.n);
}

/** A report that is filed even when it resembles an earlier one (confirmNew: tests/integration/duplicate-guard.test.ts). */
function reportBody(fields: Record<string, string>): FormData {
  const fd = new FormData();
  fd.append("intent", "report");
  for (const [k, v] of Object.entries({ website: "", confirmNew: "1", ...fields })) fd.append(k, v);
  return fd;
}

describe("double submits create one row", () => {
  it("10 concurrent identical public reports with one key: one issue, every answer points at it", async () => {
    const m = await machineByName(t.db, apcId, "Stargate");
    const player = from("198.51.100.90");
    const page = await player.client.get(`/m/${m.id}`, player.headers);
    const { key, fromForm } = formKey(page.text);
    const title = `Double tap ${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        player.client.post(`/m/${m.id}`, reportBody({ title, idempotencyKey: key }), player.headers),
      ),
    );
    expect(await issueCount(eq(issues.title, title))).toBe(1);
    const [issue] = await t.db.select({ followToken: issues.followToken }).from(issues).where(eq(issues.title, title));
    for (const a of answers) {
      expect(a.status).toBe(302);
      expect(a.location).toBe(`/follow/${issue.followToken}?new=1`);
    }
    // A later repeat (a reload of the answer, a retry) still gets the first answer.
    const again = await player.client.post(`/m/${m.id}`, reportBody({ title, idempotencyKey: key }), player.headers);
    expect(again.location).toBe(`/follow/${issue.followToken}?new=1`);
    expect(await issueCount(eq(issues.title, title))).toBe(1);
    expect(fromForm).toBe(true);
  });

  it("different keys make separate reports; a missing key still works but is not de-duplicated", async () => {
    const m = await machineByName(t.db, apcId, "Stargate");
    const title = `Two taps ${crypto.randomUUID()}`;
    const player = from("198.51.100.91");
    for (const key of [crypto.randomUUID(), crypto.randomUUID()]) {
      expect(
        (await player.client.post(`/m/${m.id}`, reportBody({ title, idempotencyKey: key }), player.headers)).status,
      ).toBe(302);
    }
    expect(await issueCount(eq(issues.title, title))).toBe(2);
    const legacy = `No key ${crypto.randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      expect((await player.client.post(`/m/${m.id}`, reportBody({ title: legacy }), player.headers)).status).toBe(302);
    }
    expect(await issueCount(eq(issues.title, legacy))).toBe(2);
  });

  it("repeats are not counted against the report limits: after 10 repeats the address still has its other reports", async () => {
    const m = await machineByName(t.db, apcId, "Stargate");
    const player = from("198.51.100.93");
    const title = `Counted once ${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        player.client.post(`/m/${m.id}`, reportBody({ title, idempotencyKey: key }), player.headers),
      ),
    );
    const limit = RULES.reportPerIp.limit * Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1);
    for (let i = 1; i < limit; i++) {
      const res = await player.client.post(
        `/m/${m.id}`,
        reportBody({ title: `${title} ${i}`, idempotencyKey: crypto.randomUUID() }),
        player.headers,
      );
      expect(res.status).toBe(302);
    }
    expect(
      (
        await player.client.post(
          `/m/${m.id}`,
          reportBody({ title: `${title} over`, idempotencyKey: crypto.randomUUID() }),
          player.headers,
        )
      ).status,
    ).toBe(429);
  });

  it("a failed first write leaves the key free; an expired key is purged and starts afresh", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const m = await machineByName(t.db, apcId, "Stargate");
    const betaPriority = await priorityIdOf(t.db, await orgIdOf(t.db, "beta"), "Medium");
    const key = crypto.randomUUID();
    const title = `Retry after failure ${crypto.randomUUID()}`;
    const refused = await admin.post("/issues/new", {
      machineId: m.id,
      title,
      priorityId: betaPriority,
      idempotencyKey: key,
    });
    expect(refused.status).toBe(400);
    expect(await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(0);
    const created = await admin.post("/issues/new", { machineId: m.id, title, idempotencyKey: key });
    expect(created.status).toBe(302);
    expect(await issueCount(eq(issues.title, title))).toBe(1);

    // Eleven minutes later the same key is a new submit, and the old row is gone.
    await t.db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(idempotencyKeys.key, key));
    const stale = crypto.randomUUID();
    await t.db.insert(idempotencyKeys).values({
      organizationId: apcId,
      scope: "report:gone",
      key: stale,
      createdAt: new Date(Date.now() - 60 * 60_000),
    });
    const later = await admin.post("/issues/new", { machineId: m.id, title, idempotencyKey: key });
    expect(later.status).toBe(302);
    expect(later.location).not.toBe(created.location);
    expect(await issueCount(eq(issues.title, title))).toBe(2);
    expect(await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, stale))).toHaveLength(0);
    expect(await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(1);
  });

  it("a malformed key is refused with a message and creates nothing", async () => {
    const m = await machineByName(t.db, apcId, "Stargate");
    const title = `Bad key ${crypto.randomUUID()}`;
    const player = from("198.51.100.92");
    const res = await player.client.post(
      `/m/${m.id}`,
      reportBody({ title, idempotencyKey: "x".repeat(500) }),
      player.headers,
    );
    expect(res.status).toBe(400);
    expect(await issueCount(eq(issues.title, title))).toBe(0);
  });

  it("10 concurrent identical member reports (/issues/new) with one key: one issue, every answer points at it", async () => {
    const member = await signedIn(server, "member@dev.local");
    const m = await machineByName(t.db, apcId, "Stargate");
    const { key, fromForm } = formKey((await member.get(`/issues/new?machineId=${m.id}`)).text);
    const title = `Member double tap ${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        member.post("/issues/new", { machineId: m.id, title, description: "", idempotencyKey: key }),
      ),
    );
    expect(await issueCount(eq(issues.title, title))).toBe(1);
    const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.title, title));
    for (const a of answers) {
      expect(a.status).toBe(302);
      expect(a.location).toBe(`/issues/${issue.id}`);
    }
    const other = `Member second ${crypto.randomUUID()}`;
    expect(
      (await member.post("/issues/new", { machineId: m.id, title: other, idempotencyKey: crypto.randomUUID() })).status,
    ).toBe(302);
    expect((await member.post("/issues/new", { machineId: m.id, title: other })).status).toBe(302);
    expect(await issueCount(eq(issues.title, other))).toBe(2);
    expect(fromForm).toBe(true);
  });

  it("10 concurrent identical comments with one key: one comment, every answer names it", async () => {
    const member = await signedIn(server, "member@dev.local");
    const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, apcId)).limit(1);
    const { key, fromForm } = formKey((await member.get(`/issues/${issue.id}`)).text);
    const content = `Same comment ${crypto.randomUUID()}`;
    // `.data` is what the page's <Form> posts with JavaScript: the answer is the action's data.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        member.post(`/issues/${issue.id}.data`, { intent: "comment", content, idempotencyKey: key }),
      ),
    );
    const rows = await t.db.select({ id: comments.id }).from(comments).where(eq(comments.content, content));
    expect(rows).toHaveLength(1);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).toContain(rows[0].id);
    }
    // Without JavaScript: a document POST with the same key adds nothing either.
    expect((await member.post(`/issues/${issue.id}`, { intent: "comment", content, idempotencyKey: key })).status).toBe(
      200,
    );
    expect(await t.db.select({ id: comments.id }).from(comments).where(eq(comments.content, content))).toHaveLength(1);
    // A new key is a new comment; no key still comments (not de-duplicated).
    await member.post(`/issues/${issue.id}`, { intent: "comment", content, idempotencyKey: crypto.randomUUID() });
    await member.post(`/issues/${issue.id}`, { intent: "comment", content });
    await member.post(`/issues/${issue.id}`, { intent: "comment", content });
    expect(await t.db.select({ id: comments.id }).from(comments).where(eq(comments.content, content))).toHaveLength(4);
    expect(fromForm).toBe(true);
  });
});
