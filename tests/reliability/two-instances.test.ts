/**
 * Two instances, one app: two real server processes (`server/index.ts`, NODE_ENV=production, as `npm start` runs
 * it) on ONE throwaway PostgreSQL, ONE local S3-compatible store (s3rver) and ONE local SMTP server, behind Debian's
 * nginx as a round-robin load balancer (tests/reliability/nginx.ts, the settings docs/deploy.md recommends). Each
 * instance has its own directory (no shared disk). It checks what a deployment of several instances relies on:
 * - started at the same moment on the empty database, they migrate and seed it once;
 * - a session made through one instance works on the other (sign in on A, comment on B, sign out on B);
 * - the public report limit (5 per address) holds across both;
 * - a photo uploaded through one is served by the other;
 * - an e-mail (report receipts) is delivered exactly once although both mail workers run;
 * - one instance restarted (SIGTERM, start again) under a bounded load through nginx: no request fails at the proxy
 *   and every acknowledged report is in the database, once.
 * nginx must be installed (`npm run test:reliability` installs it; see NGINX_MISSING): without it this file fails.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../app/lib/rate-limit.server";
import { migrationsFolder, openDatabase, type DbHandle } from "../../db/client.server";
import { attachments, comments, issues, machines, mailOutbox } from "../../db/schema";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { orgIdOf, userIdOf } from "../helpers/fixtures";
import { TestClient } from "../helpers/http";
import { startLocalS3, type LocalS3 } from "../helpers/s3";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";
import { NGINX_MISSING, nginxBinary, startNginx, type Nginx } from "./nginx";
import { fetchTimed, histogram, runPool, sleep, type Timed } from "./support";

let pg: ThrowawayPostgres;
let s3: LocalS3;
let smtp: TestSmtp;
let nginx: Nginx;
let dir: string;
let handle: DbHandle;
let apc: string;
let machineIds: string[] = [];
const ports: number[] = [];
const servers: ServerProcess[] = [];
const startLogs: string[] = [];
const savedEnv: Record<string, string | undefined> = {};
const direct = (i: number) => `http://127.0.0.1:${ports[i]}`;

function serverEnv(): Record<string, string> {
  return {
    DATABASE_URL: pg.url,
    SEED_DEMO: "true",
    RATE_LIMIT_MULTIPLIER: "1",
    TRUST_PROXY: "true",
    SMTP_URL: smtp.url,
    MAIL_FROM: "PinPoint <pinpoint@pinpoint.test>",
    ...s3.env,
  };
}

function start(i: number): ServerProcess {
  const own = path.join(dir, `instance-${i}-${servers.length}`);
  fs.mkdirSync(own);
  const server = spawnServer({ port: ports[i], dir: own, env: serverEnv() });
  servers.push(server);
  return server;
}

const alive = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;
const logs = () => servers.map((s, i) => `--- process ${i}\n${s.output()}`).join("\n");

/** Polls `check` until it answers true; `timeoutMs` is a safety net against hanging, not an assertion on speed. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting (${timeoutMs} ms) for: ${what}\n${logs()}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  if (!nginxBinary()) throw new Error(NGINX_MISSING);
  pg = await startThrowawayPostgres({ database: "pinpoint_two_instances" });
  s3 = await startLocalS3("pinpoint-two-instances");
  // This process lists the bucket too (s3.keys() uses the SDK's standard credential variables).
  for (const [k, v] of Object.entries(s3.env)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  smtp = await startTestSmtp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-two-instances-"));
  ports.push(await freePort(), await freePort());
  // Both at the same moment on the empty database, as two replicas of a deployment start.
  const both = [start(0), start(1)];
  await Promise.all(both.map((s, i) => waitForHealthy(s, ports[i])));
  startLogs.push(...both.map((s) => s.output()));
  nginx = await startNginx(ports);
  handle = await openDatabase({ url: pg.url, poolSize: 2 });
  apc = await orgIdOf(handle.db, "apc");
  machineIds = (
    await handle.db
      .select({ id: machines.id })
      .from(machines)
      .where(eq(machines.organizationId, apc))
      .orderBy(asc(machines.name))
  ).map((m) => m.id);
});

afterAll(async () => {
  for (const s of servers) if (alive(s)) s.child.kill("SIGTERM");
  await Promise.all(servers.map((s) => Promise.race([s.exited, sleep(10_000)])));
  for (const s of servers) if (alive(s)) s.child.kill("SIGKILL");
  await nginx?.stop();
  await handle?.close().catch(() => {});
  await smtp?.close();
  await s3?.close();
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A public report from the machine page; `forwardedFor` plays the client address (the apps trust the proxy). */
function report(
  base: string,
  machineId: string,
  fields: { title: string; email?: string; key?: string; forwardedFor?: string },
  label?: string,
): Promise<Timed> {
  const body = new FormData();
  body.append("intent", "report");
  body.append("title", fields.title);
  body.append("website", "");
  // Past the duplicate guard ("Limit 1" resembles "Limit 0"): this suite is about instances, not look-alikes.
  body.append("confirmNew", "1");
  if (fields.email) body.append("email", fields.email);
  body.append("idempotencyKey", fields.key ?? crypto.randomBytes(16).toString("base64url"));
  return fetchTimed(base, `/m/${machineId}`, {
    method: "POST",
    body,
    label,
    headers: { Origin: base, ...(fields.forwardedFor ? { "X-Forwarded-For": fields.forwardedFor } : {}) },
  });
}

/** The same session cookie on another origin (an instance's own port, or the proxy). */
function sameSessionOn(base: string, from: TestClient): TestClient {
  const client = new TestClient(base, "apc");
  for (const [k, v] of from.cookies) client.cookies.set(k, v);
  return client;
}

async function count(query: string): Promise<number> {
  return Number(((await handle.db.execute(sql.raw(query))) as unknown as { n: number }[])[0].n);
}

describe("two app instances behind nginx on one PostgreSQL, one S3 store and one SMTP server", () => {
  it("started together on the empty database, they migrate and seed it once", async () => {
    const all = startLogs.join("\n----\n");
    for (const log of startLogs) {
      expect(log, all).toMatch(/PinPoint listening on/);
      expect(log, all).toMatch(/E-mail: sending through smtp:\/\/127\.0\.0\.1/);
      expect(log, all).not.toMatch(/error|exception|unhandled|duplicate|already exists/i);
    }
    expect(startLogs.filter((l) => l.includes("Empty database: seeding")).length, all).toBe(1);
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    expect(await count(`select count(*)::int as n from drizzle.__drizzle_migrations`)).toBe(journal.entries.length);
    expect(await count(`select count(distinct hash)::int as n from drizzle.__drizzle_migrations`)).toBe(
      journal.entries.length,
    );
    expect(await count(`select count(*)::int as n from "Organization" where subdomain = 'apc'`)).toBe(1);
    expect(machineIds).toHaveLength(41);
    expect(await count(`select count(*)::int as n from "User" where email = 'admin@dev.local'`)).toBe(1);
    // nginx reaches both.
    for (let i = 0; i < 4; i++) expect((await fetchTimed(nginx.url, "/healthz")).status).toBe(200);
    const upstreams = new Set(nginx.access().flatMap((l) => l.upstreams));
    expect(upstreams).toEqual(new Set(ports.map((p) => `127.0.0.1:${p}`)));
  });

  it("a session made through one instance works on the other: sign in on A, comment and sign out on B", async () => {
    const onA = new TestClient(direct(0), "apc");
    await onA.login("member@dev.local");
    const [issue] = await handle.db
      .select({ id: issues.id })
      .from(issues)
      .where(eq(issues.organizationId, apc))
      .orderBy(asc(issues.createdAt))
      .limit(1);
    const onB = sameSessionOn(direct(1), onA);
    const content = `Commented through the other instance ${crypto.randomUUID()}`;
    const commented = await onB.post(`/issues/${issue.id}`, { intent: "comment", content });
    expect(commented.status, commented.text.slice(0, 500)).toBe(200);
    const [stored] = await handle.db
      .select({ authorId: comments.authorId })
      .from(comments)
      .where(and(eq(comments.issueId, issue.id), eq(comments.content, content)));
    expect(stored?.authorId).toBe(await userIdOf(handle.db, "member@dev.local"));
    // Through the proxy, whichever instance answers, the member is signed in.
    const viaProxy = sameSessionOn(nginx.url, onA);
    for (let i = 0; i < 2; i++) expect((await viaProxy.get("/issues")).status).toBe(200);
    // Signed out on B: A no longer knows the session either.
    expect((await onB.post("/logout", {})).status).toBe(302);
    const afterLogout = await sameSessionOn(direct(0), onA).get("/issues");
    expect(afterLogout.status).toBe(302);
    expect(afterLogout.location).toMatch(/^\/login/);
  });

  it("the public report limit holds across both instances", async () => {
    const limit = RULES.reportPerIp.limit;
    expect(limit).toBe(5);
    const from = "203.0.113.7";
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++)
      statuses.push((await report(direct(i % 2), machineIds[0], { title: `Limit ${i}`, forwardedFor: from })).status);
    expect(statuses).toEqual(Array(limit).fill(302));
    // Each instance saw only part of the five; both refuse, and so does the proxy whichever instance it picks.
    for (const base of [direct(0), direct(1), nginx.url, nginx.url]) {
      const refused = await report(base, machineIds[1], { title: "One too many", forwardedFor: from });
      expect(refused.status, logs()).toBe(429);
      expect(refused.text).toContain("Please wait");
    }
    // Another address is not affected.
    expect((await report(nginx.url, machineIds[1], { title: "Other", forwardedFor: "203.0.113.8" })).status).toBe(302);
  });

  it("a photo uploaded through one instance is served by the other", async () => {
    const onA = new TestClient(direct(0), "apc");
    await onA.login("admin@dev.local");
    const [issue] = await handle.db
      .select({ id: issues.id })
      .from(issues)
      .where(eq(issues.organizationId, apc))
      .orderBy(asc(issues.createdAt))
      .limit(1);
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#c33" } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append("intent", "attach");
    form.append("photo", new File([new Uint8Array(photo)], "door.jpg", { type: "image/jpeg" }));
    const attached = await onA.post(`/issues/${issue.id}`, form);
    expect(attached.status, attached.text.slice(0, 500)).toBe(200);
    const [row] = await handle.db
      .select({ id: attachments.id, url: attachments.url })
      .from(attachments)
      .where(eq(attachments.issueId, issue.id));
    expect(await s3.keys()).toContain(row.url);
    for (const base of [direct(1), direct(0), nginx.url, nginx.url]) {
      const client = sameSessionOn(base, onA);
      const res = await fetch(`${base}/attachments/${row.id}`, {
        headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "X-Organization": "apc" },
        redirect: "manual",
      });
      expect(res.status, base).toBe(200);
      expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({
        format: "webp",
        width: 800,
      });
    }
    // Nothing was written to either instance's own disk.
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
      (f) => f.includes("uploads") && fs.statSync(path.join(dir, f)).isFile(),
    );
    expect(files).toEqual([]);
  });

  it("report receipts are delivered exactly once although both instances run a mail worker", async () => {
    const n = 12;
    const tag = crypto.randomBytes(4).toString("hex");
    const addresses = Array.from({ length: n }, (_, i) => `reporter-${tag}-${i}@example.test`);
    // At once, through the proxy (round robin: both instances queue, both workers deliver).
    const answers = await Promise.all(
      addresses.map((email, i) =>
        report(nginx.url, machineIds[2 + i], { title: `Receipt ${tag} ${i}`, email, forwardedFor: `198.51.100.${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(n).fill(302));
    const ours = () =>
      handle.db
        .select({ id: mailOutbox.id, status: mailOutbox.status, attempts: mailOutbox.attempts })
        .from(mailOutbox)
        .where(inArray(mailOutbox.toAddress, addresses));
    await until("every receipt sent", async () => {
      const rows = await ours();
      return rows.length === n && rows.every((r) => r.status === "sent");
    });
    const rows = await ours();
    // Each message was claimed once (a second claim counts a second attempt)…
    expect(rows.map((r) => r.attempts)).toEqual(Array(n).fill(1));
    // …and reached the SMTP server once, under its outbox id.
    const received = smtp.arrived.filter((m) => addresses.includes(m.to));
    expect(received.map((m) => m.to).sort()).toEqual([...addresses].sort());
    const ids = received.map((m) => /^<?([^@]+)@/.exec(m.messageId)?.[1]);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
  });

  it("one instance restarted under load through nginx: no failed request, every acknowledged report stored once", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    const results: Timed[] = [];
    const acknowledged = new Map<string, string>(); // title → follow path
    let issued = 0;
    // Bounded: at most this many requests (each worker pausing between its requests), and at most 14 reports per
    // machine (RULES.reportPerMachine allows 20 an hour; the tests above used a few), then only reads.
    const maxRequests = 3000;
    const maxWrites = machineIds.length * 14;
    let writes = 0;
    let keepGoing = true;
    const pool = runPool(4, async (w) => {
      if (!keepGoing || issued >= maxRequests) {
        await sleep(20);
        return;
      }
      const i = issued++;
      let result: Timed;
      if (i % 5 === 0 && writes < maxWrites) {
        // A write: its own client address (the per-address limit) and machine (the per-machine limit).
        const title = `Load ${tag} ${i}`;
        const machineId = machineIds[writes++ % machineIds.length];
        result = await report(
          nginx.url,
          machineId,
          { title, forwardedFor: `10.${20 + w}.${Math.floor(i / 250)}.${(i % 250) + 1}` },
          "POST report",
        );
        if (result.status === 302 && result.location?.startsWith("/follow/")) acknowledged.set(title, result.location);
      } else {
        const paths = ["/", `/m/${machineIds[i % machineIds.length]}`, "/status", "/machines"];
        result = await fetchTimed(nginx.url, paths[i % paths.length], { label: "GET" });
      }
      results.push(result);
      await sleep(40);
    });
    const markBefore = nginx.logSize();
    try {
      await until("some load before the restart", () => results.length >= 40);
      const old = servers[0];
      old.child.kill("SIGTERM");
      expect(await old.exited, old.output()).toBe(0);
      const restarted = start(0);
      await waitForHealthy(restarted, ports[0]);
      const markAfter = nginx.logSize();
      // Load goes on until the restarted instance has answered through the proxy, and 200 requests were made.
      await until(
        "the restarted instance serving through nginx",
        () =>
          results.length >= 200 &&
          nginx.access(markAfter).some((l) => l.upstreams.at(-1) === `127.0.0.1:${ports[0]}` && l.status < 500),
      );
    } finally {
      keepGoing = false;
      await pool.stop();
    }

    const failed = results.filter((r) => (r.method === "POST" ? r.status !== 302 : r.status !== 200));
    expect(failed.map((r) => `${r.label} ${r.path} → ${r.status} ${r.error ?? r.text.slice(0, 200)}`)).toEqual([]);
    const proxied = nginx.access(markBefore);
    expect(proxied.filter((l) => l.status >= 500 || l.status === 0)).toEqual([]);
    // The instance was really gone under load: nginx passed some requests on to the other one.
    const passedOn = proxied.filter((l) => l.upstreams.length > 1);
    console.log(
      `restart under load: ${results.length} requests (${histogram(results)}), ${acknowledged.size} reports ` +
        `acknowledged, ${passedOn.length} passed on by nginx to the other instance`,
    );
    expect(passedOn.length, `${histogram(results)}; ${proxied.length} proxied`).toBeGreaterThan(0);

    // Every acknowledged report is in the database, once; nothing else was stored.
    expect(acknowledged.size).toBe(results.filter((r) => r.method === "POST").length);
    const stored = await handle.db
      .select({ title: issues.title, followToken: issues.followToken })
      .from(issues)
      .where(like(issues.title, `Load ${tag} %`));
    expect(stored.length).toBe(acknowledged.size);
    for (const row of stored)
      expect(acknowledged.get(row.title)).toBe(`/follow/${encodeURIComponent(row.followToken)}?new=1`);
  });
});
