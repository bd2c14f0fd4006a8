/**
 * `npm run db:backup` / `npm run db:restore` (scripts/db-backup.ts) on a real embedded database directory, run as the
 * commands run: a backup holds what was committed before it; restoring it over a database that changed since needs
 * --yes, keeps the old directory aside and brings back the backup's content; restoring into a new directory works;
 * both refuse while another process holds the database, and with DATABASE_URL (pg_dump is the tool there).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDataDirLock } from "../../db/lock.server";

const execFileAsync = promisify(execFile);
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-backup-"));
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function run(pgliteDir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ["--import", "tsx", "scripts/db-backup.ts", ...args],
      { env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: pgliteDir, ...env } },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

async function withDb<T>(dir: string, fn: (db: PGlite) => Promise<T>): Promise<T> {
  const db = new PGlite(dir);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const names = (dir: string) =>
  withDb(dir, async (db) =>
    (await db.query<{ name: string }>(`select name from "Organization" order by name`)).rows.map((r) => r.name),
  );

describe("npm run db:backup / db:restore (embedded database)", () => {
  it("backs up, and restores the backup's content over a changed database or into a new directory", async () => {
    const dir = path.join(root, "pglite");
    await withDb(dir, async (db) => {
      await db.exec(`create table "Organization" (name text not null); insert into "Organization" values ('before')`);
    });
    const file = path.join(root, "backups", "one.tar.gz");
    const backedUp = await run(dir, ["backup", file]);
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(backedUp.out).toContain(`to ${file}`);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    // A change after the backup.
    await withDb(dir, (db) => db.exec(`insert into "Organization" values ('after')`));

    const refused = await run(dir, ["restore", file]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("--yes");
    expect(await names(dir)).toEqual(["after", "before"]);

    const restored = await run(dir, ["restore", file, "--yes"]);
    expect(restored.code, restored.out).toBe(0);
    expect(await names(dir)).toEqual(["before"]);
    const aside = fs.readdirSync(root).filter((n) => n.startsWith("pglite.before-restore-"));
    expect(aside).toHaveLength(1);
    expect(await names(path.join(root, aside[0]))).toEqual(["after", "before"]);

    const fresh = path.join(root, "elsewhere");
    const intoNew = await run(fresh, ["restore", file]);
    expect(intoNew.code, intoNew.out).toBe(0);
    expect(intoNew.out).toContain("(1 organizations)");
    expect(await names(fresh)).toEqual(["before"]);
    // Seven PGlite starts (three in child processes): slow on a busy machine; a bound against hanging only.
  }, 240_000);

  it("refuses while another process holds the database, and with DATABASE_URL", async () => {
    const dir = path.join(root, "held");
    await withDb(dir, (db) => db.exec(`create table "Organization" (name text)`));
    const lock = acquireDataDirLock(dir);
    try {
      const held = await run(dir, ["backup", path.join(root, "held.tar.gz")]);
      expect(held.code).toBe(1);
      expect(held.out).toContain("already in use");
      expect(fs.existsSync(path.join(root, "held.tar.gz"))).toBe(false);
    } finally {
      lock.release();
    }
    const withUrl = await run(dir, ["backup"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(withUrl.code).toBe(2);
    expect(withUrl.out).toContain("pg_dump");
  }, 120_000);
});
