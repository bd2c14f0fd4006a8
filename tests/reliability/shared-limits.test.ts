/**
 * Two real server processes (`server/index.ts`, NODE_ENV=production) on ONE throwaway PostgreSQL database, as two
 * replicas behind a load balancer: public reports from one address alternate between them, and the address's
 * limit (RULES.reportPerIp) holds across both, because the counters live in the database's `RateLimitCounter`
 * table (app/lib/rate-limit.server.ts). With counters in process memory each replica allowed its own five.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../app/lib/rate-limit.server";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { machineByName, orgIdOf } from "../helpers/fixtures";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";

let pg: ThrowawayPostgres;
let dir: string;
let handle: DbHandle | undefined;
const servers: ServerProcess[] = [];
const urls: string[] = [];

beforeAll(async () => {
  pg = await startThrowawayPostgres({ database: "pinpoint_shared_limits" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-shared-limits-"));
  // One after the other: the first migrates and seeds, the second finds the database ready.
  for (const i of [0, 1]) {
    const port = await freePort();
    const own = path.join(dir, `server-${i}`);
    fs.mkdirSync(own);
    const server = spawnServer({
      port,
      dir: own,
      env: { DATABASE_URL: pg.url, SEED_DEMO: "true", RATE_LIMIT_MULTIPLIER: "1" },
    });
    servers.push(server);
    await waitForHealthy(server, port);
    urls.push(`http://127.0.0.1:${port}`);
  }
  handle = await openDatabase({ url: pg.url, poolSize: 1 });
});

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGTERM");
  await Promise.all(servers.map((s) => Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))])));
  await handle?.close().catch(() => {});
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function report(base: string, machineId: string, title: string): Promise<Response> {
  const body = new FormData();
  body.append("intent", "report");
  body.append("confirmNew", "1");
  body.append("title", title);
  body.append("website", "");
  return fetch(`${base}/m/${machineId}`, {
    method: "POST",
    body,
    headers: { Origin: base, "X-Organization": "apc" },
    redirect: "manual",
  });
}

describe("rate limits across two app instances on one PostgreSQL database", () => {
  it("public reports from one address alternating between instances: the one past the limit is refused", async () => {
    const apcId = await orgIdOf(handle!.db, "apc");
    const machine = await machineByName(handle!.db, apcId, "Cleopatra");
    const limit = RULES.reportPerIp.limit;
    expect(limit).toBe(5);
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) {
      const res = await report(urls[i % 2], machine.id, `Shared limit ${i}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(limit).fill(302));
    // The sixth goes to the instance that has seen only half of them itself.
    const refused = await report(urls[limit % 2], machine.id, "One too many");
    expect(refused.status, servers.map((s) => s.output()).join("\n----\n")).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Please wait");
    // And the other instance refuses too.
    expect((await report(urls[(limit + 1) % 2], machine.id, "Still too many")).status).toBe(429);
  });
});
