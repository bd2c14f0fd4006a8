/**
 * Password hashing with scrypt from node:crypto at the ASVS 5.0 minimum (N=2^17, r=8, p=1), a 16-byte salt and a
 * 64-byte key. The stored string carries its parameters (`scrypt$N$r$p$salt$hash`), so the cost can be raised
 * later and old hashes are upgraded on the next successful sign-in. scrypt reads every byte: no 72-byte truncation.
 * Under NODE_ENV=test new hashes use a lower cost (scryptParamsFor); every other NODE_ENV gets the strong default.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const STRONG: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/**
 * Under NODE_ENV=test only: about 1/32 of the memory and time, so the hundreds of sign-ins of the test suites do not
 * spend most of their time hashing. Hashes carry their parameters, so either kind verifies anywhere, and a test-cost
 * hash that reached production would be upgraded at its next sign-in (needsRehash).
 */
const TEST_COST: ScryptParams = Object.freeze({ N: 2 ** 12, r: 8, p: 1 });
const KEY_LENGTH = 64;

/** The parameters new hashes are made with under this NODE_ENV: the strong default unless it is exactly "test". */
export function scryptParamsFor(nodeEnv: string | undefined): ScryptParams {
  return nodeEnv === "test" ? TEST_COST : STRONG;
}

/**
 * Read at run time, not at build time: the Remix compiler replaces the literal `process.env.NODE_ENV` in the server
 * build, and the integration tests serve a production build under NODE_ENV=test (as db/validate.server.ts does).
 */
function currentParams(): ScryptParams {
  const name = "NODE_ENV";
  return scryptParamsFor(process.env[name]);
}

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

export async function hashPassword(plain: string, params: ScryptParams = currentParams()): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(plain, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export interface VerifyResult {
  ok: boolean;
  /** The hash was made with weaker parameters than today's; store a fresh hash. */
  needsRehash: boolean;
}

const FAILED: VerifyResult = { ok: false, needsRehash: false };

/** Parameters we are willing to run: a corrupt or hostile stored string must not exhaust memory or CPU. */
function acceptable(N: number, r: number, p: number): boolean {
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  return (
    powerOfTwo && N <= 2 ** 20 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16
  );
}

export async function verifyPassword(plain: string, stored: string): Promise<VerifyResult> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return FAILED;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], "base64");
  const expected = Buffer.from(parts[5], "base64");
  if (!acceptable(N, r, p) || salt.length < 8 || expected.length !== KEY_LENGTH) return FAILED;
  let actual: Buffer;
  try {
    actual = await scrypt(plain, salt, { N, r, p });
  } catch {
    return FAILED;
  }
  const ok = timingSafeEqual(actual, expected);
  const current = currentParams();
  return { ok, needsRehash: ok && (N < current.N || r !== current.r || p < current.p) };
}

/** The parameters production hashes are made with (exported for tests and the decision record). */
export const CURRENT_SCRYPT_PARAMS = Object.freeze({ ...STRONG, keyLength: KEY_LENGTH, saltBytes: 16 });

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real check when the account does not exist, so response timing does not reveal
 * which emails have accounts.
 */
export async function verifyAgainstDummy(plain: string): Promise<void> {
  dummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(plain, await dummyHash);
}
