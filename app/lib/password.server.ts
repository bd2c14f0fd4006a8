/**
 * Password hashing with scrypt from node:crypto at the ASVS 5.0 minimum (N=2^17, r=8, p=1), a 16-byte salt and a
 * 64-byte key. The stored string carries its parameters (`scrypt$N$r$p$salt$hash`), so the cost can be raised
 * later and old hashes are upgraded on the next successful sign-in. scrypt reads every byte: no 72-byte truncation.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const CURRENT = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // N=2^17 needs 128 * N * r bytes = 128 MiB; Node's default maxmem (32 MiB) would throw.
    maxmem: 256 * 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(plain: string, params = CURRENT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(plain, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export interface VerifyResult {
  ok: boolean;
  /** The hash was made with weaker parameters than today's; store a fresh hash. */
  needsRehash: boolean;
}

export async function verifyPassword(plain: string, stored: string): Promise<VerifyResult> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return { ok: false, needsRehash: false };
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], "base64");
  const expected = Buffer.from(parts[5], "base64");
  if (!N || !r || !p || expected.length !== KEY_LENGTH) return { ok: false, needsRehash: false };
  const actual = await scrypt(plain, salt, { N, r, p });
  const ok = timingSafeEqual(actual, expected);
  return { ok, needsRehash: ok && (N < CURRENT.N || r !== CURRENT.r || p < CURRENT.p) };
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real check when the account does not exist, so response timing does not reveal
 * which emails have accounts.
 */
export async function verifyAgainstDummy(plain: string): Promise<void> {
  dummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(plain, await dummyHash);
}
