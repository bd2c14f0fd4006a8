/**
 * Integration tests that go through real HTTP run the production server build. Build it once per run, unless the
 * test runner (scripts/test-all.ts) already did.
 *
 * On PGlite, also migrate one in-memory database here and hand its dump to every test file (tests/helpers/db.ts):
 * starting from the dump skips each file's initdb and migrations, the larger part of opening a test database.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of a dump of a freshly migrated PGlite database, or "" when there is none (PostgreSQL). */
    pgliteMigratedDump: string;
  }
}

async function migratedPgliteDump(): Promise<{ file: string; remove(): void }> {
  const handle = await openDatabase({ pgliteDir: "memory://" });
  try {
    await migrateDatabase(handle);
    const client = (handle.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir("none");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-test-dump-"));
    const file = path.join(dir, "migrated.tar");
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await handle.close();
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_SKIP_BUILD !== "1") execSync("npx remix build", { stdio: "inherit" });
  if (process.env.DATABASE_URL || project.name !== "integration") {
    project.provide("pgliteMigratedDump", "");
    return;
  }
  const dump = await migratedPgliteDump();
  project.provide("pgliteMigratedDump", dump.file);
  return () => dump.remove();
}
