import { afterEach, describe, expect, it, vi } from "vitest";
import { CURRENT_SCRYPT_PARAMS, hashPassword, scryptParamsFor, verifyPassword } from "../../core/password.server";
import { isCommonPassword } from "../../core/password-policy";

const STRONG = { N: 2 ** 17, r: 8, p: 1 };

// Real ASVS parameters (N=2^17) cost ~0.3 s per hash on this box; a few hashes keep the file fast enough.
describe("password hashing (scrypt)", { timeout: 30_000 }, () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("uses the ASVS minimum everywhere but under NODE_ENV=test, where it is cheaper", () => {
    for (const env of ["production", "development", undefined, "", "Test", "testing"])
      expect(scryptParamsFor(env)).toEqual(STRONG);
    expect(CURRENT_SCRYPT_PARAMS).toMatchObject({ ...STRONG, keyLength: 64, saltBytes: 16 });
    const test = scryptParamsFor("test");
    expect(test.N).toBeLessThan(STRONG.N);
    expect(test).toMatchObject({ r: 8, p: 1 });
  });

  it("hashes with the strong default when NODE_ENV is production, read when hashing", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const hash = await hashPassword("production password");
    expect(hash.split("$").slice(1, 4).map(Number)).toEqual([STRONG.N, STRONG.r, STRONG.p]);
    expect(await verifyPassword("production password", hash)).toEqual({ ok: true, needsRehash: false });
  });

  it("verifies hashes of either cost; in production a test-cost hash is upgraded at the next sign-in", async () => {
    const cheap = await hashPassword("some password", scryptParamsFor("test"));
    const strong = await hashPassword("some password", STRONG);
    expect(cheap.split("$")[1]).toBe(String(scryptParamsFor("test").N));
    // Under NODE_ENV=test (vitest): both verify and neither is flagged.
    expect(await verifyPassword("some password", cheap)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("some password", strong)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("other password", cheap)).toEqual({ ok: false, needsRehash: false });
    vi.stubEnv("NODE_ENV", "production");
    expect(await verifyPassword("some password", cheap)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("some password", strong)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("other password", strong)).toEqual({ ok: false, needsRehash: false });
  });

  it("round-trips and rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("correct horse battery stapler", hash)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword("", hash)).toMatchObject({ ok: false });
  });

  it("stores the algorithm and its parameters in the string, with a random salt", async () => {
    const a = await hashPassword("same password", STRONG);
    const b = await hashPassword("same password", STRONG);
    const [alg, N, r, p, salt, key] = a.split("$");
    expect(alg).toBe("scrypt");
    expect(Number(N)).toBe(2 ** 17);
    expect(Number(r)).toBe(8);
    expect(Number(p)).toBe(1);
    expect(Buffer.from(salt, "base64")).toHaveLength(16);
    expect(Buffer.from(key, "base64")).toHaveLength(64);
    expect(a).not.toEqual(b);
  });

  it("flags hashes made with older, weaker parameters for rehashing (only when the password is right)", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const old = await hashPassword("legacy password", { N: 2 ** 14, r: 8, p: 1 });
    expect(old.split("$")[1]).toBe(String(2 ** 14));
    expect(await verifyPassword("legacy password", old)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("wrong", old)).toEqual({ ok: false, needsRehash: false });
  });

  it("does not truncate: passwords that differ only after byte 72 are different", async () => {
    const prefix = "x".repeat(80);
    const hash = await hashPassword(`${prefix}A`);
    expect(await verifyPassword(`${prefix}A`, hash)).toMatchObject({ ok: true });
    expect(await verifyPassword(`${prefix}B`, hash)).toMatchObject({ ok: false });
    expect(await verifyPassword(prefix, hash)).toMatchObject({ ok: false });
  });

  it("treats malformed or hostile stored strings as a failed match instead of throwing", async () => {
    const salt = Buffer.alloc(16, 1).toString("base64");
    const key = Buffer.alloc(64, 2).toString("base64");
    for (const stored of [
      "",
      "plaintext",
      "bcrypt$10$abc",
      `scrypt$0$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`, // would need gigabytes
      `scrypt$16384$8$1$${salt}$c2hvcnQ=`, // wrong key length
      `scrypt$16384$8$1$$${key}`, // no salt
    ]) {
      expect(await verifyPassword("anything", stored)).toEqual({ ok: false, needsRehash: false });
    }
  });
});

describe("common password list", () => {
  it("rejects well-known passwords case-insensitively and accepts a passphrase", () => {
    expect(isCommonPassword("Password123")).toBe(true);
    expect(isCommonPassword("pinball1")).toBe(true);
    expect(isCommonPassword("tilt warning on the third ball")).toBe(false);
  });
});
