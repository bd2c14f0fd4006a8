/**
 * Database commands, against the embedded database (./data/pglite, or PGLITE_DIR) or DATABASE_URL:
 *   migrate          apply committed migrations
 *   seed             idempotent seed (demo data unless SEED_DEMO=false)
 *   reset            drop everything, migrate, seed (asks for --yes when DATABASE_URL is set)
 *   purge-comments   hard-delete comments soft-deleted more than 90 days ago (COMMENT_RETENTION_DAYS)
 * The embedded database is locked while the server runs: stop the server first.
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { defaultPgliteDir, migrateDatabase, openDatabase } from "../db/client.server";
import { DataDirLockedError } from "../db/lock.server";
import { seedDatabase } from "../db/seed.server";
import { withStartupLock } from "../db/startup-lock.server";

const [command, ...rest] = process.argv.slice(2);
const url = process.env.DATABASE_URL || undefined;

async function main() {
  if (!command || !["migrate", "seed", "reset", "purge-comments"].includes(command)) {
    console.error("usage: tsx scripts/db.ts migrate|seed|reset|purge-comments");
    process.exit(2);
  }
  if (command === "reset" && !url) {
    // The embedded database is just a directory: remove it (with its lock check first).
    const dir = defaultPgliteDir();
    const probe = await openDatabase({ pgliteDir: dir, lock: true });
    await probe.close();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Removed ${dir}`);
  }
  const handle = await openDatabase({ url, lock: true });
  try {
    if (command === "reset" && url) {
      if (!rest.includes("--yes")) {
        console.error(`This drops every table in ${handle.location}. Run again with --yes to confirm.`);
        process.exit(2);
      }
      await handle.db.execute(sql`drop schema if exists public cascade`);
      await handle.db.execute(sql`drop schema if exists drizzle cascade`);
      await handle.db.execute(sql`create schema public`);
    }
    await migrateDatabase(handle);
    console.log(`Migrations applied (${handle.kind}: ${handle.location})`);
    if (command === "seed" || command === "reset") {
      const demo = process.env.SEED_DEMO !== "false";
      const started = Date.now();
      // Under the start-up lock, so it never seeds alongside a server that is seeding the same database.
      await withStartupLock(handle.db, (tx) => seedDatabase(tx, { demo, log: (m: string) => console.log(m) }));
      console.log(`Seeded ${demo ? "demo data" : "base data"} in ${Date.now() - started} ms`);
    }
    if (command === "purge-comments") {
      const { purgeDeletedComments } = await import("../db/queries/comments.server");
      const days = Number(process.env.COMMENT_RETENTION_DAYS ?? 90);
      const count = await purgeDeletedComments(handle.db, { olderThanDays: days });
      console.log(`Purged ${count} comment(s) deleted more than ${days} days ago`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  if (error instanceof DataDirLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
