/**
 * `npm run bench:profile`: server CPU per request of ours, the framework floor and the baseline, and where ours spends
 * it. The throughput tables of `npm run bench` move with the shared machine's load; the main thread's active time per
 * request (event-loop utilization: all three servers run on this thread, the load generator in a worker, PostgreSQL
 * in its own processes) moves far less, so it is what server-overhead changes are judged by (docs/decisions/042-…).
 *
 * Flags: --scale 0.05 --scenarios machine,qr,detail --rounds 4 --seconds 2 --concurrency 8
 *        --cpu-prof <dir> (a V8 profile of ours and of the floor per scenario, and their 25 heaviest functions by self time)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.NODE_ENV = "production";
process.env.RATE_LIMIT_MULTIPLIER = "1000000";
process.env.LOG_LEVEL ??= "warn";
process.env.SESSION_SECRET ??= crypto.randomBytes(36).toString("base64url");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-profile-"));
process.env.UPLOAD_DIR = path.join(scratch, "uploads");
process.env.SESSION_SECRET_FILE = path.join(scratch, "session-secret");
delete process.env.DATABASE_URL;
process.once("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));

const { runProfile } = await import("./profile-run");
try {
  await runProfile(process.argv.slice(2));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
