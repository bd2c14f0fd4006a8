/**
 * Entry of `npm run bench` (see bench/main.ts for the flags). Sets the environment first, then loads everything else
 * dynamically: React picks its production build from NODE_ENV at import time, and the app reads the rate-limit
 * multiplier and the cookie secret from the environment.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.NODE_ENV = "production";
// Anonymous reports and logins are rate-limited per IP; the load comes from one IP.
process.env.RATE_LIMIT_MULTIPLIER = "1000000";
// Never touch ./data: a secret of our own, uploads in a temporary directory.
process.env.SESSION_SECRET ??= crypto.randomBytes(36).toString("base64url");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-bench-"));
process.env.UPLOAD_DIR = path.join(scratch, "uploads");
process.env.SESSION_SECRET_FILE = path.join(scratch, "session-secret");
delete process.env.DATABASE_URL;
// Also on Ctrl-C (bench/main.ts exits after its own clean-ups).
process.once("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));

const { main } = await import("./main");
try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
// Pools and the worker are closed; exit even if a library keeps a timer alive.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
