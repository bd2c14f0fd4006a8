/**
 * Fuzzing every route and form over real HTTP: never a 500, and a refused request (status >= 400) writes nothing.
 *
 * The routes are enumerated from app/routes (flat-route file names → URL patterns); for each one we read from its
 * source (and the page parts it imports from app/components) which query parameters it reads, which form fields it
 * names and which `intent`s it knows. Then, as an anonymous visitor, a Member and an Admin of `apc`:
 * - every route parameter gets random strings, a 12 kB value, unicode, NUL bytes, SQL-ish text, malformed
 *   percent-escapes, and ids of the OTHER organization (beta), also as single-fetch `.data` requests;
 * - every query parameter the loader reads gets the same treatment, and each Object.prototype key (`__proto__`,
 *   `constructor`, `toString` …) and each text that cannot stand in a header as it is (CR/LF, non-Latin-1);
 * - every action gets unknown/duplicated intents, each known intent with random, huge (100 kB), wrong-type
 *   (repeated, numeric) and missing fields, prototype keys as intents, field names and values, CR/LF and
 *   non-Latin-1 values, other-organization ids in id fields, a 1 MB body (over the 64 kB limit: 413), a JSON and a
 *   broken multipart body, and PUT/DELETE;
 * - a few organization headers and session cookies are garbage.
 * Row counts of every table are compared before/after each request that answered >= 400 (successful requests may
 * write). Deterministic (seeded PRNG) and bounded (about two thousand requests).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import {
  attachments,
  collectionTypes,
  collections,
  comments,
  issueStatuses,
  issues,
  locations,
  machines,
  memberships,
  models,
  notifications,
  priorities,
  roles,
  users,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { allTableNames, createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const saved = {
  RATE_LIMIT_MULTIPLIER: process.env.RATE_LIMIT_MULTIPLIER,
  UPLOAD_DIR: process.env.UPLOAD_DIR,
  PINBALLMAP_BASE_URL: process.env.PINBALLMAP_BASE_URL,
  PINBALLMAP_TIMEOUT_MS: process.env.PINBALLMAP_TIMEOUT_MS,
};
// Exercise validation rather than the rate limiter (429s are fine, but they stop a request before the parser).
process.env.RATE_LIMIT_MULTIPLIER = "10000";
const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-fuzz-uploads-"));
process.env.UPLOAD_DIR = uploadRoot;
// Nothing leaves the machine: a Pinball Map sync reached by the fuzzer fails fast on a closed loopback port.
process.env.PINBALLMAP_BASE_URL = "http://127.0.0.1:9";
process.env.PINBALLMAP_TIMEOUT_MS = "500";

const ROUTES_DIR = path.resolve("app/routes");
const REQUEST_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(0x5eed1234);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const CHARS =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,;:!?'\"%$#@&*()[]{}<>/\\|+=~`^éßø日本🎰\u200b\u202e";
function randomString(min = 1, max = 40): string {
  const n = min + Math.floor(random() * (max - min + 1));
  let s = "";
  for (let i = 0; i < n; i++) s += [...CHARS][Math.floor(random() * [...CHARS].length)];
  return s;
}
const randomId = () =>
  Array.from({ length: 24 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)]).join("");

const SQLISH = [
  "' OR '1'='1",
  '1; DROP TABLE "Issue"; --',
  '\' UNION SELECT email, NULL FROM "User" --',
  "%",
  "_",
  "\\",
  "$1",
  "::text",
  "1)) OR pg_sleep(5) --",
];
const WEIRD = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "99999999999999999999999",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  "[object Object]",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "../../etc/passwd",
  "a\r\nb",
  "\r\n",
  "/é☃",
  "☃",
  "//evil.example",
  "/\t/evil.example",
  "a\u0000b",
  "\u0000",
  "日本語のテキスト",
  "🎰🎰🎰",
  "\u202egnp.exe",
  "\ud800",
  "<script>alert(1)</script>",
  "a".repeat(64),
  "a".repeat(65),
  "x".repeat(256),
  "2024-02-30",
  "on",
  "off",
];
/**
 * Keys of Object.prototype (a lookup in a plain object keyed by one of them finds a function, not undefined) and text
 * that cannot go into a header as it is (CR/LF, characters above U+00FF): every query parameter and form field of
 * every route gets each of them, as a value and as a field name.
 */
const PROTO_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const HEADER_BREAKERS = ["/x\r\nSet-Cookie: fuzz=1", "/é☃", "日本🎰", "\u2028"];

/** Over 10 kB, yet under Node's 16 kB header limit once in a URL (so it reaches the app rather than a 431). */
const LONG = () => "x".repeat(10_000) + randomString(10, 30);
const HUGE = () => "Z".repeat(100_000);
/** Inserted into paths without encoding: malformed or tricky escapes. */
const RAW_SEGMENTS = ["%", "%zz", "%E0%A4%A", "%00", "%2e%2e%2f%2e%2e", "..%2F..%2Fetc", "%C0%AE", "%FF%FE"];

function fuzzValues(): string[] {
  return [randomString(), randomString(1, 8), pick(SQLISH), pick(SQLISH), pick(WEIRD), pick(WEIRD), pick(WEIRD)];
}

// ---------------------------------------------------------------------------------------------------------------
// Routes from app/routes

interface RouteInfo {
  file: string;
  /** URL pattern with :params. */
  pattern: string;
  params: string[];
  hasLoader: boolean;
  hasAction: boolean;
  intents: string[];
  fields: string[];
  query: string[];
  multipart: boolean;
}

/** Remix v2 flat routes: `a.b_.$id.c[.]png.tsx` → `/a/b/:id/c.png`; `_index` and `_layout` segments vanish. */
function routePattern(file: string): string {
  const base = file.replace(/\.(tsx|ts|jsx|js)$/, "");
  const segments: string[] = [];
  let current = "";
  let bracket = false;
  for (const ch of base) {
    if (ch === "[") bracket = true;
    else if (ch === "]") bracket = false;
    else if (ch === "." && !bracket) {
      segments.push(current);
      current = "";
    } else current += bracket && ch === "." ? "\ue000" : ch;
  }
  segments.push(current);
  const parts = segments
    .filter((s) => s !== "_index" && !/^_[^.]/.test(s))
    .map((s) => s.replace(/_$/, "").replace(/\ue000/g, "."))
    .map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s));
  return "/" + parts.join("/");
}

/**
 * A route's source plus the components and use cases it imports (two levels): forms and their field names moved
 * into app/components/<page>/ and input schemas into app/use-cases/, and the fuzzer must still find them.
 */
function routeSource(file: string): string {
  const appDir = path.resolve("app");
  const seen = new Set<string>();
  const read = (full: string, depth: number): string => {
    if (seen.has(full) || !fs.existsSync(full)) return "";
    seen.add(full);
    const src = fs.readFileSync(full, "utf8");
    if (depth === 0) return src;
    const imported = [...src.matchAll(/from "~\/((?:components|use-cases)\/[^"]+)"/g)].map((m) => m[1]);
    return [
      src,
      ...imported.flatMap((rel) => [".tsx", ".ts"].map((ext) => read(path.join(appDir, rel + ext), depth - 1))),
    ].join("\n");
  };
  return read(path.join(ROUTES_DIR, file), 2);
}

function scanRoutes(): RouteInfo[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx|ts)$/.test(f))
    .sort()
    .map((file) => {
      const own = fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
      const src = routeSource(file);
      const pattern = routePattern(file);
      const uniq = (xs: string[]) => [...new Set(xs)].sort();
      const all = (re: RegExp) => [...src.matchAll(re)].map((m) => m[1]);
      return {
        file,
        pattern,
        params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]),
        hasLoader: /export\s+(async\s+function|const|function)\s+loader\b|export\s*\{[^}]*\bloader\b/.test(own),
        hasAction: /export\s+(async\s+function|const|function)\s+action\b|export\s*\{[^}]*\baction\b/.test(own),
        intents: uniq([
          ...all(/name="intent"\s+value="([\w-]+)"/g),
          ...all(/case\s+"([\w-]+)"\s*:/g),
          ...all(/intent\s*===\s*"([\w-]+)"/g),
        ]).filter((i) => /^[a-z][a-z-]*$/.test(i) && i !== "string"),
        fields: uniq([
          ...all(/\bname="([A-Za-z_][\w-]*)"/g),
          ...all(/\.(?:get|getAll)\("([A-Za-z_]\w*)"\)/g),
          ...all(/^\s+([a-z]\w*):\s*(?:z\.|fields\.)/gm),
        ]).filter((f) => f !== "intent"),
        query: uniq([
          // url.searchParams.get("x"), and the same through an alias (`const p = url.searchParams; p.get("x")`)…
          ...["searchParams", ...all(/const (\w+) = (?:new URL\([^)]*\)|url)\.searchParams\b/g)].flatMap((alias) =>
            all(new RegExp(`\\b${alias}\\.(?:get|getAll|has)\\("([A-Za-z_]\\w*)"\\)`, "g")),
          ),
          // …and through small helpers such as `param(url, "collection")`.
          ...all(/\b\w+\(url,\s*"([A-Za-z_]\w*)"/g),
        ]),
        multipart: /multipart\/form-data|readUploadForm/.test(src),
      };
    });
}

/** encodeURIComponent, with lone surrogates (which it refuses) replaced by U+FFFD as a browser would send them. */
function enc(value: string): string {
  return encodeURIComponent(
    value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );
}

function fillPattern(pattern: string, values: Record<string, string>, raw = false): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => (raw ? values[name] : enc(values[name])));
}

// ---------------------------------------------------------------------------------------------------------------
// The run

let t: TestDb;
let server: TestServer;
// RateLimitCounter holds counters, not data: a refused request is meant to count there (failed sign-ins on
// PostgreSQL, where the counters live in the database; on PGlite they stay in memory).
const tables = allTableNames().filter((n) => n !== "RateLimitCounter");
const countsQuery = sql.raw(
  tables.map((n) => `select '${n}' as t, count(*)::int as n from "${n}"`).join(" union all "),
);

type Counts = Map<string, number>;
async function snapshot(): Promise<Counts> {
  // PGlite returns { rows }, postgres-js an array of rows.
  const result = (await t.db.execute(countsQuery)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
    t: string;
    n: number;
  }>;
  return new Map(rows.map((r) => [r.t, Number(r.n)]));
}
function diffCounts(a: Counts, b: Counts): string[] {
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(`${k} ${a.get(k)}→${v}`);
  return out;
}

interface Actor {
  name: "anonymous" | "member" | "admin";
  client: TestClient;
}
const actors: Actor[] = [];

/** Ids by kind, of apc (own) and of beta (the other organization). */
const own: Record<string, string[]> = {};
const other: Record<string, string[]> = {};

const ID_FIELD_KIND: Record<string, string> = {
  machineId: "machine",
  machineIds: "machine",
  shownIds: "machine",
  issueId: "issue",
  statusId: "status",
  targetId: "status",
  priorityId: "priority",
  roleId: "role",
  reassignRoleId: "role",
  membershipId: "membership",
  locationId: "location",
  location: "location",
  collectionId: "collection",
  collection: "collection",
  commentId: "comment",
  attachmentId: "attachment",
  typeId: "collectionType",
  modelId: "model",
  ownerId: "user",
  assigneeId: "user",
  notificationId: "notification",
  token: "followToken",
  code: "qrCode",
};

const stats = { requests: 0, byStatus: new Map<number, number>(), requestMs: 0, snapshotMs: 0 };
let before: Counts;

interface Failure {
  route: string;
  what: string;
}

/**
 * One raw HTTP request on a fresh connection (node:http, not fetch: the path goes out exactly as written, malformed
 * escapes included). Keep-alive reuse is covered by its own test below.
 */
async function send(
  actor: Actor,
  method: string,
  urlPath: string,
  opts: { body?: BodyInit; headers?: Record<string, string>; label?: string } = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { "X-Organization": "apc", Connection: "close", ...opts.headers };
  if (actor.client.cookies.size && !("cookie" in headers))
    headers.cookie = [...actor.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (method !== "GET" && method !== "HEAD") headers.Origin ??= server.url;
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    const encoded = new Response(opts.body);
    payload = Buffer.from(await encoded.arrayBuffer());
    const type = encoded.headers.get("content-type");
    if (type && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = type;
  }
  if (payload) headers["Content-Length"] = String(payload.length);
  const started = Date.now();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port: server.port, method, path: urlPath, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ status: 0, text: String(e) }));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", (e) => resolve({ status: 0, text: String(e) }));
    req.end(payload);
  });
  stats.requests++;
  stats.requestMs += Date.now() - started;
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  return { status, text };
}

/** One fuzz request: records a 5xx/hang, and for status >= 400 any change of row counts. */
async function probe(
  failures: Failure[],
  route: string,
  actor: Actor,
  method: string,
  urlPath: string,
  opts: { body?: BodyInit; headers?: Record<string, string>; label?: string } = {},
) {
  const { status, text } = await send(actor, method, urlPath, opts);
  const what = `${actor.name} ${method} ${urlPath.length > 120 ? urlPath.slice(0, 120) + `…(${urlPath.length})` : urlPath}${opts.label ? ` [${opts.label}]` : ""}`;
  if (status >= 500 || status === 0) {
    failures.push({
      route,
      what: `${what} → ${status || "no answer"} ${text
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .slice(0, 160)}`,
    });
  }
  const snapStarted = Date.now();
  const after = await snapshot();
  stats.snapshotMs += Date.now() - snapStarted;
  if (status >= 400) {
    const changed = diffCounts(before, after);
    if (changed.length) failures.push({ route, what: `${what} → ${status} but rows changed: ${changed.join(", ")}` });
  }
  before = after;
}

function form(fields: Array<[string, string]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return body;
}

/** Values for a form field: ids of the other organization in id-like fields, else random/weird/long. */
function fieldValue(field: string, mode: "random" | "huge" | "other-org" | "weird"): string {
  if (mode === "huge") return HUGE();
  const kind = ID_FIELD_KIND[field];
  if (mode === "other-org" && kind && other[kind]?.length) return pick(other[kind]);
  if (mode === "weird") return pick([...WEIRD, ...SQLISH]);
  return pick([randomString(), randomString(0, 3), pick(WEIRD), pick(SQLISH), randomId()]);
}

/** A few ids of each kind in one organization (for route parameters and id-like form fields). */
async function idsOf(db: TestDb["db"], orgId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const put = async (kind: string, query: () => Promise<Array<{ v: string | null }>>) => {
    try {
      out[kind] = (await query())
        .map((r) => r.v)
        .filter((v): v is string => Boolean(v))
        .slice(0, 3);
    } catch {
      out[kind] = [];
    }
  };
  await put("machine", () =>
    db.select({ v: machines.id }).from(machines).where(eq(machines.organizationId, orgId)).limit(3),
  );
  await put("qrCode", () =>
    db.select({ v: machines.qrCodeId }).from(machines).where(eq(machines.organizationId, orgId)).limit(3),
  );
  await put("issue", () => db.select({ v: issues.id }).from(issues).where(eq(issues.organizationId, orgId)).limit(3));
  await put("followToken", () =>
    db.select({ v: issues.followToken }).from(issues).where(eq(issues.organizationId, orgId)).limit(3),
  );
  await put("status", () =>
    db.select({ v: issueStatuses.id }).from(issueStatuses).where(eq(issueStatuses.organizationId, orgId)).limit(3),
  );
  await put("priority", () =>
    db.select({ v: priorities.id }).from(priorities).where(eq(priorities.organizationId, orgId)).limit(3),
  );
  await put("role", () => db.select({ v: roles.id }).from(roles).where(eq(roles.organizationId, orgId)).limit(3));
  await put("membership", () =>
    db.select({ v: memberships.id }).from(memberships).where(eq(memberships.organizationId, orgId)).limit(3),
  );
  await put("location", () =>
    db.select({ v: locations.id }).from(locations).where(eq(locations.organizationId, orgId)).limit(3),
  );
  await put("model", () => db.select({ v: models.id }).from(models).where(eq(models.organizationId, orgId)).limit(3));
  await put("collectionType", () =>
    db
      .select({ v: collectionTypes.id })
      .from(collectionTypes)
      .where(eq(collectionTypes.organizationId, orgId))
      .limit(3),
  );
  await put("collection", () =>
    db
      .select({ v: collections.id })
      .from(collections)
      .innerJoin(locations, eq(locations.id, collections.locationId))
      .where(eq(locations.organizationId, orgId))
      .limit(3),
  );
  await put("comment", () =>
    db
      .select({ v: comments.id })
      .from(comments)
      .innerJoin(issues, eq(issues.id, comments.issueId))
      .where(eq(issues.organizationId, orgId))
      .limit(3),
  );
  await put("attachment", () =>
    db.select({ v: attachments.id }).from(attachments).where(eq(attachments.organizationId, orgId)).limit(3),
  );
  await put("user", () =>
    db
      .select({ v: users.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(eq(memberships.organizationId, orgId))
      .limit(3),
  );
  await put("notification", () =>
    db
      .select({ v: notifications.id })
      .from(notifications)
      .innerJoin(memberships, and(eq(memberships.userId, notifications.userId), eq(memberships.organizationId, orgId)))
      .limit(3),
  );
  return out;
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  await resetRateLimits();

  Object.assign(own, await idsOf(t.db, await orgIdOf(t.db, "apc")));
  Object.assign(other, await idsOf(t.db, await orgIdOf(t.db, "beta")));

  const member = server.client({ org: "apc" });
  await member.login("member@dev.local");
  const admin = server.client({ org: "apc" });
  await admin.login("admin@dev.local");
  actors.push(
    { name: "anonymous", client: server.client({ org: "apc" }) },
    { name: "member", client: member },
    { name: "admin", client: admin },
  );
  before = await snapshot();
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  console.log(
    `[fuzz] ${stats.requests} requests (${stats.requestMs} ms in requests, ${stats.snapshotMs} ms in row counts): ${[
      ...stats.byStatus,
    ]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(" ")}`,
  );
});

const routes = scanRoutes();

/** Requests that must not run as a signed-in actor: they end the session the rest of the run relies on. */
function endsSession(route: RouteInfo, intent?: string): boolean {
  return route.pattern === "/logout" || (route.pattern === "/account" && intent === "signout-everywhere");
}

function paramSets(
  route: RouteInfo,
  forAction: boolean,
): Array<{ values: Record<string, string>; raw?: boolean; label: string }> {
  if (!route.params.length) return [{ values: {}, label: "" }];
  const sets: Array<{ values: Record<string, string>; raw?: boolean; label: string }> = [];
  const each = (f: (name: string) => string, label: string, raw = false) =>
    sets.push({ values: Object.fromEntries(route.params.map((p) => [p, f(p)])), raw, label });
  const kindOf = (p: string) => ID_FIELD_KIND[p] ?? p.replace(/Id$/, "");
  each(() => randomString(), "random");
  each(() => pick(SQLISH), "sql-ish");
  each(() => pick(WEIRD), "weird");
  each(() => pick(["a\u0000b", "\u0000", "日本語🎰", "\u202e\ud800"]), "nul/unicode");
  each(() => LONG(), "12 kB");
  each(() => pick(RAW_SEGMENTS), "raw escape", true);
  each((p) => other[kindOf(p)]?.[0] ?? randomId(), "other org id");
  if (forAction) each((p) => own[kindOf(p)]?.[0] ?? randomId(), "own id");
  return sets;
}

const MODES = ["random", "weird", "huge", "other-org"] as const;

describe("fuzzing every route and form", () => {
  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.find((r) => r.file === "machines.$machineId.qr[.]png.ts")?.pattern).toBe(
      "/machines/:machineId/qr.png",
    );
    expect(routes.find((r) => r.file === "admin.collections_.$collectionId.tsx")?.pattern).toBe(
      "/admin/collections/:collectionId",
    );
    expect(routes.find((r) => r.file === "_index.tsx")?.pattern).toBe("/");
    expect(routes.find((r) => r.file === "issues._index.tsx")?.query).toEqual(
      expect.arrayContaining(["category", "sort", "dir", "assignee", "after"]),
    );
    // The CSV export reads the list's parameters through the same reader (app/use-cases/issue-pages.server.ts).
    expect(routes.find((r) => r.file === "issues[.]csv.ts")?.pattern).toBe("/issues.csv");
    expect(routes.find((r) => r.file === "issues[.]csv.ts")?.query).toEqual(
      expect.arrayContaining(["category", "q", "sort", "dir", "assignee", "status"]),
    );
    expect(routes.find((r) => r.file === "machines._index.tsx")?.query).toEqual(
      expect.arrayContaining(["collection", "location", "status"]),
    );
    expect(routes.find((r) => r.file === "login.tsx")?.query).toContain("redirectTo");
    expect(routes.find((r) => r.file === "status.tsx")?.query).toContain("tv");
    expect(routes.find((r) => r.file === "status[.]json.ts")?.pattern).toBe("/status.json");
  });

  for (const route of routes) {
    it(`${route.pattern} (${route.file})`, async () => {
      const failures: Failure[] = [];
      const run = (
        actor: Actor,
        method: string,
        urlPath: string,
        opts?: { body?: BodyInit; headers?: Record<string, string>; label?: string },
      ) => probe(failures, route.pattern, actor, method, urlPath, opts);
      const signedIn = actors.slice(1);
      const allowed = (actor: Actor, intent?: string) => actor.name === "anonymous" || !endsSession(route, intent);

      if (route.hasLoader) {
        // Route parameters: each kind of bad value once (actors in turn); other-organization ids as everyone; plus the
        // single-fetch `.data` variant.
        const sets = paramSets(route, false);
        for (const [i, set] of sets.entries()) {
          const urlPath = fillPattern(route.pattern, set.values, set.raw);
          const who = set.label === "other org id" || !route.params.length ? actors : [actors[i % actors.length]];
          for (const actor of who) if (allowed(actor)) await run(actor, "GET", urlPath, { label: set.label });
          if (route.params.length && i % 2 === 0 && !/\.(png|svg)$/.test(route.pattern)) {
            await run(signedIn[i % 2], "GET", `${urlPath}.data`, { label: `${set.label} .data` });
          }
        }
        // Query parameters the loader reads (all at once), plus a malformed query string.
        const base = fillPattern(
          route.pattern,
          Object.fromEntries(
            route.params.map((p) => [p, own[ID_FIELD_KIND[p] ?? p.replace(/Id$/, "")]?.[0] ?? randomId()]),
          ),
        );
        const names = [...route.query, "page", "q"];
        for (let i = 0; i < 3; i++) {
          const qs = new URLSearchParams();
          for (const n of names)
            qs.append(
              n,
              i === 2
                ? LONG().slice(0, Math.floor(10_200 / names.length))
                : pick([...fuzzValues(), randomId(), "-5", "0", "1e9", "a\u0000"]),
            );
          const actor = actors[i % actors.length];
          if (allowed(actor)) await run(actor, "GET", `${base}?${qs}`, { label: "query" });
        }
        await run(actors[0], "GET", `${base}?page=%E0%A4%A&q=%zz&${names[0]}=%00`, { label: "malformed query" });
        // Prototype keys and header-breaking text in each query parameter the loader reads, one parameter at a time
        // (together, one parameter can mask another: a status filter overrides the category tab).
        let k = 0;
        for (const n of names) {
          for (const value of [...PROTO_KEYS, ...HEADER_BREAKERS]) {
            const actor = actors[k++ % actors.length];
            if (allowed(actor))
              await run(actor, "GET", `${base}?${new URLSearchParams([[n, value]])}`, {
                label: `${n} = ${JSON.stringify(value)}`,
              });
          }
        }
      }

      if (route.hasAction) {
        const intents: Array<string | undefined> = route.intents.length ? route.intents : [undefined];
        const sets = paramSets(route, true);
        let n = 0;
        const post = async (
          actor: Actor,
          body: BodyInit | undefined,
          label: string,
          headers?: Record<string, string>,
          method = "POST",
        ) => {
          const set = sets[n++ % sets.length];
          await run(actor, method, fillPattern(route.pattern, set.values, set.raw), {
            body,
            headers,
            label: `${label}; path ${set.label || "-"}`,
          });
        };
        const first = intents[0] ?? "";
        // Bodies that are wrong as a whole.
        for (const actor of actors) {
          if (!allowed(actor)) continue;
          await post(
            actor,
            form([["intent", `no-such-${randomString(3, 6).replace(/[^a-z]/gi, "x")}`]]),
            "unknown intent",
          );
          await post(actor, form([]), "empty form");
        }
        const someone = () => pick(actors.filter((a) => allowed(a)));
        await post(
          someone(),
          form([
            ["intent", "__proto__"],
            ["intent", first],
          ]),
          "duplicated intent",
        );
        // Prototype keys as intents, as field names and as the value of every field; header-breaking text everywhere.
        for (const key of PROTO_KEYS) await post(someone(), form([["intent", key]]), `intent ${key}`);
        for (const [ii, intent] of intents.entries()) {
          const fields: Array<[string, string]> = intent ? [["intent", intent]] : [];
          for (const key of PROTO_KEYS) fields.push([key, key]);
          for (const f of route.fields) fields.push([f, PROTO_KEYS[ii % PROTO_KEYS.length]]);
          if (allowed(signedIn[ii % 2], intent))
            await post(signedIn[ii % 2], form(fields), `${intent ?? "(no intent)"} prototype keys`);
          const odd: Array<[string, string]> = intent ? [["intent", intent]] : [];
          for (const f of route.fields) odd.push([f, HEADER_BREAKERS[ii % HEADER_BREAKERS.length]]);
          if (allowed(signedIn[(ii + 1) % 2], intent))
            await post(signedIn[(ii + 1) % 2], form(odd), `${intent ?? "(no intent)"} CR/LF and non-Latin-1`);
        }
        await post(someone(), undefined, "no body");
        await post(someone(), JSON.stringify({ intent: first, title: "x" }), "JSON body", {
          "Content-Type": "application/json",
        });
        await post(someone(), '--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\n', "broken multipart", {
          "Content-Type": "multipart/form-data; boundary=xyz",
        });
        await post(
          someone(),
          form([
            ["intent", first],
            ["blob", "B".repeat(1_000_000)],
          ]),
          "1 MB body",
        );
        await post(
          someone(),
          form([["intent", first], ...route.fields.map((f): [string, string] => [f, fieldValue(f, "random")])]),
          "PUT",
          undefined,
          "PUT",
        );
        await post(someone(), form([["intent", first]]), "DELETE", undefined, "DELETE");
        // Every known intent, as every actor, with a different kind of bad fields each time (all four modes per
        // intent across the actors and the rotation).
        for (const [ii, intent] of intents.entries()) {
          for (const [ai, actor] of actors.entries()) {
            if (!allowed(actor, intent)) continue;
            const mode = MODES[(ii + ai) % MODES.length];
            const fields: Array<[string, string]> = intent ? [["intent", intent]] : [];
            for (const [fi, f] of route.fields.entries()) {
              if (random() < 0.2) continue; // missing
              // "weird" always carries a NUL byte in one field: PostgreSQL text cannot store it.
              fields.push([
                f,
                mode === "weird" && fi === (ii + ai) % route.fields.length ? "a\u0000b" : fieldValue(f, mode),
              ]);
              if (random() < 0.15) fields.push([f, fieldValue(f, "random")]); // repeated → array
            }
            if (random() < 0.3)
              fields.push(
                ["__proto__", "x"],
                ["constructor", "y"],
                ["toString", "t"],
                ["hasOwnProperty", "h"],
                [`${pick(route.fields) ?? "x"}[]`, "z"],
              );
            await post(actor, form(fields), `${intent ?? "(no intent)"} ${mode}`);
          }
          // Every field with a NUL byte, as a signed-in actor (anonymous visitors mostly stop at the permission check).
          const nulActor = signedIn[(ii + 1) % 2];
          if (allowed(nulActor, intent)) {
            const fields: Array<[string, string]> = intent ? [["intent", intent]] : [];
            for (const f of route.fields)
              fields.push([f, `${pick(["", "Fine text ", own[ID_FIELD_KIND[f]]?.[0] ?? "x"])}\u0000`]);
            await post(nulActor, form(fields), `${intent ?? "(no intent)"} NUL in every field`);
          }
          if (route.multipart) {
            const actor = signedIn[ii % 2];
            const fd = new FormData();
            if (intent) fd.append("intent", intent);
            for (const f of route.fields) if (f !== "photo") fd.append(f, fieldValue(f, "random"));
            fd.append(
              "photo",
              new Blob([new Uint8Array(2048).map(() => Math.floor(random() * 256))], { type: "image/png" }),
              "evil.png.exe",
            );
            if (allowed(actor, intent)) await post(actor, fd, `${intent ?? "(no intent)"} multipart junk photo`);
          }
        }
      }

      expect(failures.map((f) => f.what).slice(0, 40), `${failures.length} failure(s)`).toEqual([]);
    });
  }

  it("a POST answered before its body was read does not break the next request on the same connection", async () => {
    // Clients and reverse proxies reuse keep-alive connections. An anonymous POST to /account is redirected to the
    // sign-in page before the body is read; the rest of the body must not be left on the connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const call = (method: string, urlPath: string, body?: string) =>
      new Promise<{ status: number; reused: boolean; error?: string }>((resolve) => {
        const headers: Record<string, string> = { "X-Organization": "apc", Origin: server.url };
        if (body)
          Object.assign(headers, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": String(Buffer.byteLength(body)),
          });
        const req = http.request(
          { host: "127.0.0.1", port: server.port, method, path: urlPath, headers, agent },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.setTimeout(4000, () => req.destroy(new Error("no answer within 4 s")));
        req.on("error", (e) => resolve({ status: 0, reused: req.reusedSocket, error: String(e) }));
        req.end(body);
      });
    try {
      for (const size of [60_000, 300_000, 2_000_000]) {
        const early = await call("POST", "/account", `intent=profile&bio=${"B".repeat(size)}`);
        expect(early.status).toBeLessThan(500);
        const next = await call("GET", "/login");
        expect(next, `the request after a ${size}-byte body that was not read`).toMatchObject({ status: 200 });
      }
    } finally {
      agent.destroy();
    }
  });

  it("garbage organization headers and session cookies", async () => {
    const failures: Failure[] = [];
    const anonymous = actors[0];
    const paths = ["/", "/issues", `/m/${own.machine?.[0] ?? "x"}`];
    const cookies = [
      "__Host-pinpoint_session=garbage",
      "__Host-pinpoint_session=" + "A".repeat(4000),
      "__Host-pinpoint_session=%E0%A4%A",
      "__Host-pinpoint_session=s%3A" + randomId() + ".signature",
      "pinpoint_session=x; __Host-pinpoint_session=; a=b",
      "=;=;=;;",
    ];
    for (const p of paths) {
      for (const org of ["nope", "", " ", "a".repeat(3000), "beta'--", "%00", "APC", "apc.beta", "..", "ÿÿÿ"]) {
        await probe(failures, "headers", anonymous, "GET", p, {
          headers: { "X-Organization": org },
          label: `org ${org.slice(0, 20)}`,
        });
      }
      for (const cookie of cookies)
        await probe(failures, "headers", anonymous, "GET", p, {
          headers: { cookie },
          label: `cookie ${cookie.slice(0, 30)}`,
        });
    }
    // Signing in with a garbage session cookie (password hashing is slow: two attempts).
    for (const cookie of cookies.slice(0, 2)) {
      await probe(failures, "headers", anonymous, "POST", "/login", {
        body: form([
          ["email", "member@dev.local"],
          ["password", randomString()],
        ]),
        headers: { cookie },
        label: `login with cookie ${cookie.slice(0, 30)}`,
      });
    }
    expect(failures.map((f) => f.what).slice(0, 40), `${failures.length} failure(s)`).toEqual([]);
  });
});
