/**
 * Backups of the embedded database (PGlite in ./data/pglite, or PGLITE_DIR), with PGlite's own dump of its data
 * directory (`dumpDataDir`, a gzipped tarball) and its restore (`loadDataDir`):
 *   npm run db:backup [-- <file>]          write the tarball (default backups/pinpoint-<UTC time>.tar.gz)
 *   npm run db:restore -- <file> [--yes]   make the database directory from a tarball; an existing one is kept
 *                                          aside as <dir>.before-restore-<UTC time> (only with --yes)
 * Both take the directory's lock like the other db:* commands: stop the server first (a few seconds; see
 * docs/deploy.md). With DATABASE_URL set they refuse: use pg_dump / pg_restore, or your provider's backups.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { defaultPgliteDir } from "../db/client.server";
import { acquireDataDirLock, DataDirLockedError } from "../db/lock.server";

const [command, ...rest] = process.argv.slice(2);
const args = rest.filter((a) => !a.startsWith("--"));
const stamp = () => new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");

async function backup(dir: string) {
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    console.error(`No embedded database in ${dir} (PGLITE_DIR): nothing to back up.`);
    process.exit(2);
  }
  const file = path.resolve(args[0] ?? path.join("backups", `pinpoint-${stamp()}.tar.gz`));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lock = acquireDataDirLock(dir);
  try {
    const client = new PGlite(dir);
    await client.waitReady;
    // A checkpoint first, so the files in the tarball hold every committed change.
    await client.exec("checkpoint");
    const dump = await client.dumpDataDir("gzip");
    await client.close();
    // Written beside the target, then renamed: a backup interrupted halfway never looks complete.
    const partial = `${file}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    console.log(`Backed up ${dir} to ${file} (${fs.statSync(file).size} bytes)`);
  } finally {
    lock.release();
  }
}

async function restore(dir: string) {
  const from = args[0];
  if (!from || !fs.existsSync(from)) {
    console.error("usage: npm run db:restore -- <backup.tar.gz> [--yes]");
    process.exit(2);
  }
  const exists = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  if (exists && !rest.includes("--yes")) {
    console.error(
      `${dir} already holds a database. Run again with --yes to keep it aside (renamed) and restore ${from}.`,
    );
    process.exit(2);
  }
  fs.mkdirSync(dir, { recursive: true });
  const lock = acquireDataDirLock(dir);
  try {
    if (exists) {
      const aside = `${dir}.before-restore-${stamp()}`;
      fs.renameSync(dir, aside);
      fs.mkdirSync(dir);
      console.log(`The database that was in ${dir} is now in ${aside}`);
    }
    const client = new PGlite(dir, { loadDataDir: new Blob([new Uint8Array(fs.readFileSync(from))]) });
    await client.waitReady;
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from "Organization"`);
    await client.close();
    console.log(`Restored ${from} into ${dir} (${rows[0]?.n ?? 0} organizations)`);
  } finally {
    lock.release();
  }
}

async function main() {
  if (command !== "backup" && command !== "restore") {
    console.error("usage: tsx scripts/db-backup.ts backup [file] | restore <file> [--yes]");
    process.exit(2);
  }
  if (process.env.DATABASE_URL) {
    console.error(
      "DATABASE_URL is set: back up PostgreSQL with pg_dump (and restore with pg_restore) or your provider's " +
        "backups; these commands are for the embedded database.",
    );
    process.exit(2);
  }
  const dir = path.resolve(defaultPgliteDir());
  if (command === "backup") await backup(dir);
  else await restore(dir);
}

main().catch((error) => {
  if (error instanceof DataDirLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
