/**
 * Structured logs over real HTTP (server/log.ts, server/request-log.ts, docs/decisions/036-operations.md): every
 * request has an id (a sane incoming X-Request-Id, else a new one) returned in `X-Request-Id` and carried by every
 * log line of that request, the error page shows it, and no line holds a password, a cookie or an e-mail address.
 * The process logger is swapped for one writing into this file's array at debug level (the same createLogger).
 */
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { seedDatabase } from "../../db/seed.server";
import { createLogger, setLogger, type Logger } from "../../server/log";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestServer, type TestServer } from "../helpers/http";

let t: TestDb;
let server: TestServer;
let previous: Logger;
const lines: Record<string, unknown>[] = [];
const raw: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  previous = setLogger(
    createLogger(
      new Writable({
        write(chunk: Buffer, _enc, callback) {
          raw.push(chunk.toString());
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          callback();
        },
      }),
      "debug",
    ),
  );
  server = await startTestServer(t.db);
  await resetRateLimits();
});

afterEach(() => {
  lines.length = 0;
  raw.length = 0;
});

afterAll(async () => {
  setLogger(previous);
  await server?.close();
  await t?.close();
});

/** The access line is written when the response closes, just after the client has its last byte. */
async function linesOf(requestId: string, count = 1): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 200; i++) {
    const mine = lines.filter((l) => l.reqId === requestId);
    if (mine.filter((l) => l.msg === "request").length >= count) return mine;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no access line for ${requestId}: ${JSON.stringify(lines.slice(-5))}`);
}

describe("request id", () => {
  it("takes a sane incoming X-Request-Id, returns it and logs the request under it with its route, not its URL", async () => {
    const res = await server.client({ org: "apc" }).get("/machines?q=cleo", { "X-Request-Id": "lb-7f3a.42" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("lb-7f3a.42");
    const mine = await linesOf("lb-7f3a.42");
    const access = mine.find((l) => l.msg === "request")!;
    expect(access).toMatchObject({ level: "info", method: "GET", route: "routes/machines._index", status: 200 });
    expect(typeof access.ms).toBe("number");
    expect(JSON.stringify(mine)).not.toContain("cleo");
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["spaces and markup", "x <script>"],
    ["a backslash", "abc\\ndef"],
  ])("replaces an incoming id with %s by a new one", async (_what, incoming) => {
    const res = await server.client({ org: "apc" }).get("/machines", { "X-Request-Id": incoming });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await linesOf(id!);
  });

  it("gives every request its own id when none is sent", async () => {
    const a = await server.client({ org: "apc" }).get("/machines");
    const b = await server.client({ org: "apc" }).get("/machines");
    expect(a.headers.get("x-request-id")).toBeTruthy();
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it("labels a request refused before any route ran, and a single-fetch data request by its route", async () => {
    const refused = await fetch(`${server.url}/machines`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "X-Request-Id": "refused-1" },
    });
    expect(refused.status).toBe(403);
    expect((await linesOf("refused-1")).find((l) => l.msg === "request")).toMatchObject({
      route: "refused",
      status: 403,
    });
    const data = await server.client({ org: "apc" }).get("/machines.data", { "X-Request-Id": "data-1" });
    expect(data.status).toBe(200);
    expect((await linesOf("data-1")).find((l) => l.msg === "request")).toMatchObject({
      route: "routes/machines._index",
    });
  });
});

describe("error pages", () => {
  it("show the request id on a 404 page", async () => {
    const res = await server.client({ org: "apc" }).get("/no-such-page", { "X-Request-Id": "missing-page-1" });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Reference: <code data-request-id="missing-page-1">missing-page-1</code>');
  });

  it("show it on a 500 page, and the error is logged under the same id", async () => {
    // A real server-side failure: the machines table is gone (renamed back below).
    await t.db.execute(sql.raw(`alter table "Machine" rename to "Machine_away"`));
    try {
      const res = await server.client({ org: "apc" }).get("/machines", { "X-Request-Id": "broken-1" });
      expect(res.status).toBe(500);
      expect(res.text).toContain('Reference: <code data-request-id="broken-1">broken-1</code>');
      expect(res.text).not.toContain("Machine_away");
      const mine = await linesOf("broken-1");
      const error = mine.find((l) => l.msg === "unexpected server error");
      expect(error, JSON.stringify(mine)).toMatchObject({ level: "error", error: { cause: { code: "42P01" } } });
      // The failed query's parameters (here the organization's id) stay out of the log.
      expect(JSON.stringify(error)).not.toMatch(/params:/);
      expect(mine.find((l) => l.msg === "request")).toMatchObject({ level: "error", status: 500 });
    } finally {
      await t.db.execute(sql.raw(`alter table "Machine_away" rename to "Machine"`));
    }
  });
});

describe("what never reaches the log", () => {
  it("no password, session cookie or e-mail address, also when sign-ins fail", async () => {
    const client = server.client({ org: "apc" });
    for (let i = 0; i < 3; i++) {
      await client.post("/login", { email: "member@dev.local", password: `wrong password ${i}`, redirectTo: "/" });
    }
    await client.login("admin@dev.local");
    const res = await client.get("/issues", { "X-Request-Id": "signed-in-1" });
    expect(res.status).toBe(200);
    await linesOf("signed-in-1");
    const all = raw.join("");
    expect(all).toContain('"route":"routes/login"');
    expect(all).not.toMatch(/dev-login-123|wrong password/);
    expect(all).not.toMatch(/member@dev\.local|admin@dev\.local/);
    for (const value of client.cookies.values()) expect(all).not.toContain(value);
  });
});
