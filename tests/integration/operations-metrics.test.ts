/**
 * `/metrics` over real HTTP (server/metrics.ts): absent (404) without METRICS_TOKEN, 401 without the bearer token,
 * Prometheus text with it; request counters and latency by route id and status class rise with requests and never
 * name a URL; the outbox backlog counts a message a real action queued; the embedded database's pool is reported.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { migrateDatabase, openDatabase, type DbHandle } from "../../db/client.server";
import { seedDatabase } from "../../db/seed.server";
import { machineByName, orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";

const TOKEN = "metrics-test-token-5d1f";
let handle: DbHandle;
let server: TestServer;
let closed: TestServer;
let machineId: string;

beforeAll(async () => {
  // A real database handle (not the test helper's), so its poolStats is the one the server process has.
  handle = await openDatabase({ pgliteDir: "memory://" });
  await migrateDatabase(handle);
  await seedDatabase(handle.db, { demo: true });
  server = await startTestServer(handle.db, { metricsToken: TOKEN, poolStats: handle.poolStats });
  closed = await startTestServer(handle.db);
  machineId = (await machineByName(handle.db, await orgIdOf(handle.db, "apc"), "Cleopatra")).id;
  await resetRateLimits();
});

afterAll(async () => {
  await server?.close();
  await closed?.close();
  await handle?.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return res.text();
}

/** The value of one series, e.g. sample(text, "pinpoint_http_requests_total", { route: "…" }); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf("}"));
    const have = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

describe("/metrics", () => {
  it("does not exist without METRICS_TOKEN", async () => {
    const res = await fetch(`${closed.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });

  it.each([
    ["no token", undefined],
    ["a wrong token", `Bearer ${TOKEN}x`],
    ["the token without Bearer", TOKEN],
  ])("answers 401 to %s", async (_what, authorization) => {
    const res = await fetch(
      `${server.url}/metrics`,
      authorization ? { headers: { Authorization: authorization } } : {},
    );
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/pinpoint_/);
  });

  it("counts requests by route id and status class, never by URL", async () => {
    const labels = { method: "GET", route: "routes/m.$machineId", status_class: "2xx" };
    const before = await scrape();
    const client = server.client({ org: "apc" });
    for (let i = 0; i < 3; i++) expect((await client.get(`/m/${machineId}`)).status).toBe(200);
    expect((await client.get("/no-such-page")).status).toBe(404);
    const after = await scrape();
    expect(sample(after, "pinpoint_http_requests_total", labels)).toBe(
      sample(before, "pinpoint_http_requests_total", labels) + 3,
    );
    expect(sample(after, "pinpoint_http_request_duration_seconds_count", labels)).toBe(
      sample(before, "pinpoint_http_request_duration_seconds_count", labels) + 3,
    );
    expect(sample(after, "pinpoint_http_request_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(
      sample(before, "pinpoint_http_request_duration_seconds_bucket", { ...labels, le: "+Inf" }) + 3,
    );
    expect(
      sample(after, "pinpoint_http_requests_total", { method: "GET", route: "no-match", status_class: "4xx" }),
    ).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(machineId);
    expect(after).not.toContain("no-such-page");
  });

  it("reports the outbox backlog: a queued password-reset e-mail is pending", async () => {
    const before = sample(await scrape(), "pinpoint_mail_outbox_messages", { status: "pending" });
    const res = await server.client({ org: "apc" }).post("/forgot-password", { email: "member@dev.local" });
    expect(res.status).toBe(302);
    const after = await scrape();
    expect(sample(after, "pinpoint_mail_outbox_messages", { status: "pending" })).toBe(before + 1);
    expect(after).toMatch(/^pinpoint_mail_outbox_messages\{status="failed"\} 0$/m);
  });

  it("reports the database connections and the process's default metrics", async () => {
    const text = await scrape();
    expect(sample(text, "pinpoint_db_pool_connections", { state: "max" })).toBe(1);
    expect(text).toMatch(/^pinpoint_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^pinpoint_nodejs_eventloop_lag_seconds /m);
  });
});
