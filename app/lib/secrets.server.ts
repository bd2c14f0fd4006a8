/**
 * Secrets for signing cookies. SESSION_SECRET (comma-separated; the first signs, all verify, so secrets can be
 * rotated) is required when set by the operator; on a bare machine without it we create a random secret once and
 * keep it beside the embedded database, so sessions survive restarts without any setup.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

let cached: string[] | undefined;

export function sessionSecrets(): string[] {
  if (cached) return cached;
  const fromEnv = process.env.SESSION_SECRET?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (fromEnv?.length) {
    if (fromEnv.some((s) => s.length < 32))
      throw new Error("Each SESSION_SECRET value must be at least 32 characters.");
    cached = fromEnv;
    return cached;
  }
  const file = path.resolve(process.env.SESSION_SECRET_FILE ?? path.join(process.cwd(), "data", "session-secret"));
  try {
    cached = [fs.readFileSync(file, "utf8").trim()];
  } catch {
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
    cached = [secret];
  }
  return cached;
}
