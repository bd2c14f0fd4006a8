/**
 * HTTP-level privilege holes, each over the real server on a real database (one describe per finding):
 * 4. open redirect after sign-in (redirectTo with control characters, backslashes, `//host`, schemes …);
 * 5. prototype keys (`__proto__`, `constructor` …) in query and form input, and redirect targets with CR/LF or
 *    characters above U+00FF, never give a 500;
 * 6. request bodies over the limit (64 kB for forms, the upload limit for photo forms) are refused with 413 before
 *    they are read, chunked ones as soon as they pass it, and the connection is closed cleanly;
 * 10. the Host header is checked against the configured hosts; the Origin check compares scheme, host and port;
 *    pages say `Vary: X-Organization`; the health check does not name the database engine.
 */
/* eslint-disable no-script-url -- javascript: URLs are among the refused inputs under test */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { PNG } from "pngjs";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BODY_LIMITS, bodyLimitFor } from "~/lib/body-limits";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { attachments, issues, machines, sessions } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf, signedIn } from "../helpers/fixtures";
import { startTestServer, type TestServer, type TestServerOptions } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir("pinpoint-security-http-");

let t: TestDb;
let server: TestServer;
let machineId: string;
let issueId: string;
const extraServers: TestServer[] = [];

const tinyPng = PNG.sync.write(new PNG({ width: 4, height: 4 }));

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  const apcId = await orgIdOf(t.db, "apc");
  [{ id: machineId }] = await t.db
    .select({ id: machines.id })
    .from(machines)
    .where(eq(machines.organizationId, apcId))
    .limit(1);
  [{ id: issueId }] = await t.db
    .select({ id: issues.id })
    .from(issues)
    .where(eq(issues.organizationId, apcId))
    .limit(1);
});

afterAll(async () => {
  for (const s of extraServers) await s.close();
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

/** Another server on the same database, with other options (closed after all tests). */
async function serverWith(opts: TestServerOptions): Promise<TestServer> {
  const s = await startTestServer(t.db, opts);
  extraServers.push(s);
  return s;
}

/** Runs `fn` with environment variables set, restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with node:http (any Host header, the path exactly as written), on its own connection. */
function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Connection: "close", ...opts.headers };
    if (opts.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(opts.body));
    const req = http.request(
      { host: "127.0.0.1", port, method: opts.method ?? "GET", path: opts.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(opts.body);
  });
}

const sessionRows = async () => Number((await t.db.select({ n: count() }).from(sessions))[0].n);
const issueRows = async () => Number((await t.db.select({ n: count() }).from(issues))[0].n);

// -----------------------------------------------------------------------------------------------------------------

/** Where a browser goes with this Location header, seen from `base`. */
function browserTarget(location: string, base: string): URL {
  return new URL(location, base);
}

const NASTY_REDIRECTS: string[] = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "\\/evil.example",
  "/\t\\evil.example",
  "%2F%2Fevil.example",
  "/..//evil.example",
  "/.//evil.example",
  "/x/../..//evil.example",
  "https://evil.example",
  "HTTPS://evil.example/",
  "http:evil.example",
  "http:/evil.example",
  "javascript:alert(document.domain)",
  " javascript:alert(1)",
  "jav\tascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/\u0000/evil.example",
  "/\u001f/evil.example",
  "/\u007f/evil.example",
  "\u00a0//evil.example",
  "／／evil.example",
  "evil.example",
  "",
];

describe("4. Open redirect after sign-in (redirectTo)", () => {
  it("a signed-in visit to /login?redirectTo=… never leaves the site", async () => {
    const c = await signedIn(server, "member@dev.local");
    const problems: string[] = [];
    for (const value of NASTY_REDIRECTS) {
      const res = await raw(server.port, {
        path: `/login?redirectTo=${encodeURIComponent(value)}`,
        headers: { "X-Organization": "apc", cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      });
      const location = res.headers.location ?? "";
      // A NUL anywhere in the address is refused before routing (server/app.ts).
      if (value.includes("\u0000") && res.status === 400) continue;
      if (res.status !== 302) problems.push(`${JSON.stringify(value)} → ${res.status}`);
      else if (browserTarget(location, server.url).origin !== server.url)
        problems.push(`${JSON.stringify(value)} → Location ${JSON.stringify(location)}`);
      else if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(location))
        problems.push(`${JSON.stringify(value)} → unsafe Location ${JSON.stringify(location)}`);
    }
    expect(problems).toEqual([]);
  });

  it.each([
    ["/\t/evil.example", "/"],
    ["/\\evil.example", "/"],
    ["//evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/issues?status=open#top", "/issues?status=open#top"],
  ])("signing in with redirectTo %j goes to %s", async (value, expected) => {
    const before = await sessionRows();
    const c = server.client({ org: "apc" });
    const res = await c.post("/login", { email: "player@dev.local", password: "dev-login-123", redirectTo: value });
    expect(res.status).toBe(302);
    expect(res.location).toBe(expected);
    expect(await sessionRows()).toBe(before + 1);
  });

  it("same-site paths survive (query and fragment kept)", async () => {
    const c = await signedIn(server, "member@dev.local");
    const res = await c.get(`/login?redirectTo=${encodeURIComponent("/machines?q=Addams Family&page=2#list")}`);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/machines?q=Addams%20Family&page=2#list");
  });
});

// -----------------------------------------------------------------------------------------------------------------

const PROTO_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

describe("5. Prototype keys and odd characters never give a 500", () => {
  it("/issues?category=<prototype key> and other list filters answer 200", async () => {
    const member = await signedIn(server, "member@dev.local");
    const problems: string[] = [];
    for (const key of PROTO_KEYS) {
      for (const p of [
        `/issues?category=${key}`,
        `/issues?sort=${key}&dir=${key}`,
        `/issues?assignee=${key}&reporter=${key}&status=${key}`,
        `/issues.data?category=${key}`,
        `/machines?status=${key}`,
        `/?status=${key}`,
        `/machines/${machineId}?${key}=1`,
      ]) {
        const res = await member.get(p);
        if (res.status !== 200) problems.push(`${p} → ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the category filter treats a prototype key as unknown (the default tab)", async () => {
    const member = await signedIn(server, "member@dev.local");
    const normal = await member.get("/issues");
    const odd = await member.get("/issues?category=constructor");
    expect(odd.status).toBe(200);
    const currentTab = (html: string) =>
      /<nav aria-label="Issue status".*?<a[^>]*aria-current="page"[^>]*>([^<]*)/s.exec(html)?.[1]?.trim();
    const issueLinks = (html: string) => [...html.matchAll(/href="(\/issues\/[^"/?]+)"/g)].map((m) => m[1]);
    expect(currentTab(normal.text)).toBe("Active");
    expect(currentTab(odd.text)).toBe("Active");
    expect(issueLinks(odd.text)).toEqual(issueLinks(normal.text));
  });

  it("form fields named like prototype keys are plain fields (no 500, nothing written)", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const member = await signedIn(server, "member@dev.local");
    const problems: string[] = [];
    const beforeIssues = await issueRows();
    const bodies = (intent: string) =>
      PROTO_KEYS.map((key) => ({ intent, [key]: "x", name: "", title: "" }) as Record<string, string>).concat([
        Object.fromEntries([["intent", intent], ...PROTO_KEYS.map((k) => [k, k])]),
      ]);
    const targets: Array<[typeof admin, string, string]> = [
      [admin, "/admin/collections", "type-create"],
      [admin, "/admin/statuses", "create"],
      [admin, "/admin/roles", "create"],
      [admin, "/locations/new", ""],
      [admin, "/machines/new", ""],
      [member, "/issues/new", ""],
      [member, "/account", "profile"],
      [member, "/notifications", "settings"],
      [member, `/issues/${issueId}`, "comment"],
    ];
    for (const [client, route, intent] of targets) {
      for (const body of bodies(intent)) {
        const res = await client.post(route, body);
        if (res.status >= 500) problems.push(`${route} ${Object.keys(body).join(",")} → ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await issueRows()).toBe(beforeIssues);
  });

  it.each([
    ["CR/LF", "/machines\r\nSet-Cookie: evil=1"],
    ["LF only", "/x\n"],
    ["non-Latin-1", "/é☃"],
    ["emoji and RTL override", "/🎰\u202e"],
    ["lone surrogate (sent as U+FFFD)", "/\ufffd"],
    ["Latin-1 above U+007F", "/ÿ"],
  ])("redirectTo with %s gives a redirect to a safe path, not a 500", async (_name, value) => {
    const member = await signedIn(server, "member@dev.local");
    const res = await member.get(`/login?redirectTo=${encodeURIComponent(value)}`);
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
    expect(res.headers.get("set-cookie") ?? "").not.toContain("evil");
    const signIn = await server
      .client({ org: "apc" })
      .post("/login", { email: "player@dev.local", password: "dev-login-123", redirectTo: value });
    expect(signIn.status).toBe(302);
    expect(signIn.location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
  });

  it("a non-Latin-1 path is kept, percent-encoded as UTF-8", async () => {
    const member = await signedIn(server, "member@dev.local");
    const res = await member.get(`/login?redirectTo=${encodeURIComponent("/machines?q=é☃")}`);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/machines?q=%C3%A9%E2%98%83");
  });
});

// -----------------------------------------------------------------------------------------------------------------

/**
 * Sends a request head on a raw socket, then the body in pieces (chunked or not), and reports what came back and
 * how the connection ended. Stops sending as soon as an answer arrives.
 */
function streamBody(
  port: number,
  opts: {
    path: string;
    headers: Record<string, string>;
    /** Total body bytes to offer; sending stops at the first answer byte unless `keepSending`. */
    total: number;
    keepSending?: boolean;
    chunked: boolean;
    chunkSize?: number;
    /** Declared Content-Length (when not chunked); defaults to total. */
    contentLength?: number;
    /** Byte to fill the body with after `prefix`. */
    prefix?: Buffer;
    suffix?: Buffer;
    fill?: string;
  },
): Promise<{
  status: number;
  head: string;
  body: string;
  sent: number;
  ended: "end" | "reset" | "timeout";
  error?: string;
}> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunkSize = opts.chunkSize ?? 16 * 1024;
    let sent = 0;
    let answered = false;
    let response = Buffer.alloc(0);
    let error: string | undefined;
    let finished = false;
    const finish = (ended: "end" | "reset" | "timeout") => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const text = response.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      socket.destroy();
      resolve({ status, head, body: split >= 0 ? text.slice(split + 4) : "", sent, ended, error });
    };
    const timer = setTimeout(() => finish("timeout"), 15_000);
    const lines = [
      `POST ${opts.path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      "Connection: close",
    ];
    for (const [k, v] of Object.entries(opts.headers)) lines.push(`${k}: ${v}`);
    if (opts.chunked) lines.push("Transfer-Encoding: chunked");
    else lines.push(`Content-Length: ${opts.contentLength ?? opts.total}`);
    socket.on("data", (d: Buffer) => {
      answered = true;
      response = Buffer.concat([response, d]);
    });
    socket.on("end", () => finish("end"));
    socket.on("error", (e) => {
      error = String(e);
      finish("reset");
    });
    socket.on("close", () => finish(error ? "reset" : "end"));
    socket.write(lines.join("\r\n") + "\r\n\r\n");
    const prefix = opts.prefix ?? Buffer.alloc(0);
    const suffix = opts.suffix ?? Buffer.alloc(0);
    const filler = Buffer.alloc(chunkSize, opts.fill ?? "a");
    const pump = () => {
      if ((answered && !opts.keepSending) || finished || socket.destroyed) return;
      if (sent >= opts.total) {
        if (opts.chunked) socket.write("0\r\n\r\n");
        return;
      }
      let piece: Buffer;
      if (sent < prefix.length) piece = prefix.subarray(sent, sent + chunkSize);
      else if (opts.total - sent <= suffix.length) piece = suffix.subarray(suffix.length - (opts.total - sent));
      else piece = filler.subarray(0, Math.min(chunkSize, opts.total - sent - suffix.length));
      sent += piece.length;
      const ok = socket.write(
        opts.chunked
          ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
          : piece,
      );
      if (ok) setImmediate(pump);
      else socket.once("drain", pump);
    };
    pump();
  });
}

function multipartReport(
  fields: Record<string, string>,
  photo: Buffer,
  boundary: string,
): { prefix: Buffer; suffix: Buffer } {
  let head = "";
  for (const [k, v] of Object.entries(fields))
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`;
  return { prefix: Buffer.concat([Buffer.from(head), photo]), suffix: Buffer.from(`\r\n--${boundary}--\r\n`) };
}

describe("6. Request bodies over the limit are refused with 413", () => {
  const form = { "X-Organization": "apc", "Content-Type": "application/x-www-form-urlencoded" };
  const login = Buffer.from("email=player%40dev.local&password=dev-login-123&redirectTo=%2F&padding=");

  it("the limits are one documented constant: 64 kB for forms, the upload limit for photo forms", () => {
    expect(BODY_LIMITS.formBytes).toBe(64 * 1024);
    expect(bodyLimitFor("/login")).toBe(BODY_LIMITS.formBytes);
    expect(bodyLimitFor(`/m/${machineId}`)).toBe(BODY_LIMITS.uploadBytes);
    const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
    expect(readme).toContain("64 kB");
    expect(readme).toContain(`${BODY_LIMITS.uploadBytes / (1024 * 1024)} MB`);
  });

  it("a 60 MB urlencoded POST to /login gets 413 before its body is read (Content-Length checked up front)", async () => {
    const before = await sessionRows();
    // Declare 60 MB but send only 1 kB: the answer must come without waiting for the rest.
    const res = await streamBody(server.port, {
      path: "/login",
      headers: form,
      total: 1024,
      contentLength: 60 * 1024 * 1024,
      chunked: false,
      prefix: login,
    });
    expect(res.status).toBe(413);
    expect(res.head).toMatch(/^connection: close$/im);
    expect(res.body).toContain("too large");
    expect(res.ended).toBe("end");
    expect(await sessionRows()).toBe(before);
  });

  it("a client that sends the whole 60 MB anyway reads the 413, and the connection ends cleanly (no reset)", async () => {
    const res = await streamBody(server.port, {
      path: "/login",
      headers: form,
      total: 60 * 1024 * 1024,
      chunked: false,
      prefix: login,
      chunkSize: 256 * 1024,
      keepSending: true,
    });
    expect(res.status).toBe(413);
    expect(res.ended, res.error).toBe("end");
  });

  it("every route has the limit, whatever the method or content type", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const body = "intent=create&name=" + "n".repeat(BODY_LIMITS.formBytes);
    for (const [method, p, type] of [
      ["POST", "/signup", "application/x-www-form-urlencoded"],
      ["POST", "/admin/roles", "application/x-www-form-urlencoded"],
      ["POST", "/admin/roles.data", "application/x-www-form-urlencoded"],
      ["POST", "/account", "multipart/form-data; boundary=x"],
      ["PUT", "/account", "application/json"],
      ["POST", "/no-such-page", "text/plain"],
      ["GET", "/", "application/x-www-form-urlencoded"],
    ]) {
      const res = await raw(server.port, {
        method,
        path: p,
        headers: { "X-Organization": "apc", cookie, Origin: server.url, "Content-Type": type },
        body,
      });
      expect(res.status, `${method} ${p}`).toBe(413);
    }
  });

  it("a form just under the limit is read as before", async () => {
    const body = Buffer.concat([login, Buffer.alloc(BODY_LIMITS.formBytes - login.length - 1, "a")]).toString();
    const res = await raw(server.port, {
      method: "POST",
      path: "/login",
      headers: { ...form, Origin: server.url },
      body,
    });
    expect(res.status).toBe(302);
  });

  it("a chunked body (no Content-Length) gets 413 as soon as it passes 64 kB, and the connection ends cleanly", async () => {
    const before = await sessionRows();
    // Offer up to 4 MB; the answer must come long before that.
    const res = await streamBody(server.port, {
      path: "/login",
      headers: form,
      total: 4 * 1024 * 1024,
      chunked: true,
      prefix: login,
      chunkSize: 8 * 1024,
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain("too large");
    expect(res.ended, res.error).toBe("end");
    expect(res.sent).toBeLessThan(4 * 1024 * 1024);
    expect(await sessionRows()).toBe(before);
  });

  it("a chunked body under the limit is read as before", async () => {
    const res = await streamBody(server.port, {
      path: "/login",
      headers: form,
      total: login.length + 40_000,
      chunked: true,
      prefix: login,
      chunkSize: 4096,
    });
    expect(res.status).toBe(302);
  });

  it("photo forms keep the upload limit: a 1 MB photo is accepted", async () => {
    const before = await issueRows();
    const fd = new FormData();
    for (const [k, v] of Object.entries({ intent: "report", title: "Flipper sticks (with photo)", website: "" }))
      fd.append(k, v);
    fd.append(
      "photo",
      new Blob([Buffer.concat([tinyPng, Buffer.alloc(1024 * 1024)])], { type: "image/png" }),
      "flipper.png",
    );
    const res = await server.client({ org: "apc" }).post(`/m/${machineId}`, fd);
    expect(res.status).toBe(302);
    expect(await issueRows()).toBe(before + 1);
  });

  it("an oversized CHUNKED upload gets 413 (not a reset) and writes nothing", async () => {
    const before = {
      issues: await issueRows(),
      attachments: Number((await t.db.select({ n: count() }).from(attachments))[0].n),
    };
    const boundary = "----pinpoint-test-boundary";
    const { prefix, suffix } = multipartReport(
      { intent: "report", title: "Huge photo", website: "" },
      tinyPng,
      boundary,
    );
    const res = await streamBody(server.port, {
      path: `/m/${machineId}`,
      headers: { "X-Organization": "apc", "Content-Type": `multipart/form-data; boundary=${boundary}` },
      total: BODY_LIMITS.uploadBytes + 2 * 1024 * 1024,
      chunked: true,
      prefix,
      suffix,
      fill: "\u0000",
      chunkSize: 64 * 1024,
    });
    expect(res.status, res.error).toBe(413);
    expect(res.body).toContain("too large");
    expect(res.ended, res.error).toBe("end");
    expect(await issueRows()).toBe(before.issues);
    expect(Number((await t.db.select({ n: count() }).from(attachments))[0].n)).toBe(before.attachments);
  });

  it("a chunked upload under the limit is read as before", async () => {
    const before = await issueRows();
    const boundary = "----pinpoint-test-boundary";
    const { prefix, suffix } = multipartReport(
      { intent: "report", title: "Chunked photo report", website: "" },
      tinyPng,
      boundary,
    );
    const res = await streamBody(server.port, {
      path: `/m/${machineId}`,
      headers: { "X-Organization": "apc", "Content-Type": `multipart/form-data; boundary=${boundary}` },
      total: prefix.length + 200 * 1024 + suffix.length,
      chunked: true,
      prefix,
      suffix,
      fill: "\u0000",
      chunkSize: 16 * 1024,
    });
    expect(res.status, res.body.slice(0, 300)).toBe(302);
    expect(await issueRows()).toBe(before + 1);
  });

  it("the next request on a fresh connection is served normally", async () => {
    const res = await raw(server.port, { path: "/login", headers: { "X-Organization": "apc" } });
    expect(res.status).toBe(200);
  });

  it("only the routes that take photos get the upload allowance", () => {
    const routesDir = path.resolve("app/routes");
    const uploadFiles = fs
      .readdirSync(routesDir)
      // readUploadForm or a wrapper of it (readUploadFormObject, app/lib/upload-form.server.ts).
      .filter((f) => /readUploadForm\w*\(/.test(fs.readFileSync(path.join(routesDir, f), "utf8")))
      .sort();
    expect(uploadFiles).toEqual([
      "issues.$issueId.tsx",
      "m.$machineId.tsx",
      "machines.$machineId.tsx",
      "machines.$machineId_.log.$noteId.tsx",
    ]);
    for (const p of [
      `/m/${machineId}`,
      `/m/${machineId}.data`,
      `/issues/${issueId}`,
      `/issues/${issueId}.data`,
      `/machines/${machineId}`,
      `/machines/${machineId}.data`,
      `/machines/${machineId}/log/abc`,
      `/machines/${machineId}/log/abc.data`,
    ]) {
      expect(bodyLimitFor(p), p).toBe(BODY_LIMITS.uploadBytes);
    }
    for (const p of [
      "/login",
      "/signup",
      "/issues",
      "/m",
      `/m/${machineId}/x`,
      "/admin/roles",
      "/admin/collections",
      "/report",
      "/machines/new",
      `/machines/${machineId}/qr.svg`,
    ]) {
      expect(bodyLimitFor(p), p).toBe(BODY_LIMITS.formBytes);
    }
    for (const p of ["/issues/new", "/issues/new.data", "/admin/collections/abc", "/admin/collections/abc.data"]) {
      expect(bodyLimitFor(p), p).toBe(BODY_LIMITS.longFormBytes);
    }
  });
});

// -----------------------------------------------------------------------------------------------------------------

describe("10a. Host header: only configured hosts", () => {
  const qrPage = () => `/machines/${machineId}`;

  it("with BASE_DOMAIN set, a foreign Host is refused with 400 and never reaches a QR link", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    await withEnv({ BASE_DOMAIN: "pinpoint.test", PUBLIC_URL: undefined }, async () => {
      const evil = await raw(server.port, {
        path: qrPage(),
        headers: { Host: "evil.example", "X-Organization": "apc", cookie },
      });
      expect(evil.status).toBe(400);
      expect(evil.headers["content-type"]).toMatch(/^text\/plain/);
      expect(evil.text).not.toContain("evil.example/qr");
      const label = await raw(server.port, {
        path: "/print/labels",
        headers: { Host: "evil.example:80", "X-Organization": "apc", cookie },
      });
      expect(label.status).toBe(400);
      const ok = await raw(server.port, {
        path: qrPage(),
        headers: { Host: `apc.pinpoint.test:${server.port}`, cookie },
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain(`http://apc.pinpoint.test:${server.port}/qr/`);
      const bare = await raw(server.port, { path: "/login", headers: { Host: "pinpoint.test" } });
      expect(bare.status).toBe(200);
      const lookalike = await raw(server.port, { path: "/login", headers: { Host: "evilpinpoint.test" } });
      expect(lookalike.status).toBe(400);
    });
  });

  it("with PUBLIC_URL set, only its host is accepted", async () => {
    await withEnv({ BASE_DOMAIN: undefined, PUBLIC_URL: "https://tracker.example" }, async () => {
      expect((await raw(server.port, { path: "/login", headers: { Host: "evil.example" } })).status).toBe(400);
      expect((await raw(server.port, { path: "/login", headers: { Host: "tracker.example" } })).status).toBe(200);
    });
  });

  it("in production with neither set: localhost, *.localhost, loopback addresses; others get 400", async () => {
    await withEnv({ BASE_DOMAIN: undefined, PUBLIC_URL: undefined }, async () => {
      const prod = await serverWith({ mode: "production" });
      for (const host of [
        `localhost:${prod.port}`,
        `apc.localhost:${prod.port}`,
        `127.0.0.1:${prod.port}`,
        `[::1]:${prod.port}`,
        "localhost",
      ]) {
        expect((await raw(prod.port, { path: "/login", headers: { Host: host } })).status, host).toBe(200);
      }
      for (const host of [
        "evil.example",
        `evil.example:${prod.port}`,
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "a b",
        "x/y",
      ]) {
        const res = await raw(prod.port, { path: "/login", headers: { Host: host } });
        expect(res.status, host).toBe(400);
        expect(res.text).toMatch(/host/i);
      }
      // The health check answers whatever the host (load balancers probe by address).
      expect((await raw(prod.port, { path: "/healthz", headers: { Host: "10.1.2.3:3000" } })).status).toBe(200);
    });
  });

  it("in development and tests with neither set, any well-formed host works (zero configuration)", async () => {
    await withEnv({ BASE_DOMAIN: undefined, PUBLIC_URL: undefined }, async () => {
      expect((await raw(server.port, { path: "/login", headers: { Host: "my-laptop.lan:3000" } })).status).toBe(200);
    });
  });
});

describe("10b. Origin check compares scheme, host and port", () => {
  it("an https Origin on a plain-http request is refused", async () => {
    const before = await sessionRows();
    const res = await server
      .client({ org: "apc" })
      .post(
        "/login",
        { email: "player@dev.local", password: "dev-login-123" },
        { Origin: server.url.replace("http://", "https://") },
      );
    expect(res.status).toBe(403);
    expect(await sessionRows()).toBe(before);
  });

  it("behind a TLS proxy (X-Forwarded-Proto: https), an http Origin is refused and the https one accepted", async () => {
    const proxied = await serverWith({ trustProxy: true });
    const body = "email=player%40dev.local&password=dev-login-123";
    const headers = (origin: string) => ({
      "X-Organization": "apc",
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "apc.localhost",
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: origin,
    });
    expect(
      (await raw(proxied.port, { method: "POST", path: "/login", headers: headers("http://apc.localhost"), body }))
        .status,
    ).toBe(403);
    expect(
      (await raw(proxied.port, { method: "POST", path: "/login", headers: headers("https://apc.localhost"), body }))
        .status,
    ).toBe(302);
  });
});

describe("10c. Vary: X-Organization on every page", () => {
  it("documents, single-fetch data, 404s and resource routes", async () => {
    const paths = [
      "/",
      "/login",
      "/machines",
      `/m/${machineId}`,
      "/_root.data",
      `/m/${machineId}.data`,
      "/no-such-page",
      `/machines/${machineId}/qr.png`,
    ];
    const missing: string[] = [];
    for (const p of paths) {
      const res = await raw(server.port, { path: p, headers: { "X-Organization": "apc" } });
      const vary = String(res.headers.vary ?? "")
        .split(/\s*,\s*/)
        .map((v) => v.toLowerCase());
      if (res.status >= 500 || !vary.includes("x-organization"))
        missing.push(`${p} → ${res.status} Vary: ${res.headers.vary ?? "(none)"}`);
    }
    expect(missing).toEqual([]);
  });

  it("a POST answer (action) says it too", async () => {
    const res = await server
      .client({ org: "apc" })
      .post("/login", { email: "nobody@example.test", password: "wrong password" });
    expect(res.status).toBe(400);
    expect(res.headers.get("vary") ?? "").toMatch(/x-organization/i);
  });
});

describe("10d. Health check does not name the database engine", () => {
  it.each(["/healthz", "/api/health"])("%s", async (p) => {
    const res = await raw(server.port, { path: p });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body).toEqual({ status: "healthy" });
    expect(res.text).not.toMatch(/pglite|postgres/i);
  });
});
