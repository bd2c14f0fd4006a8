/**
 * The one database client of the process.
 *
 * - PGlite (embedded PostgreSQL in WebAssembly) by default, in ./data/pglite, so a bare machine can run the app.
 * - postgres-js when DATABASE_URL is set (real PostgreSQL / Supabase). Transaction-mode poolers
 *   (Supabase port 6543, PgBouncer) do not support prepared statements, so `prepare: false` there.
 *
 * The singleton lives on globalThis: `remix dev` re-evaluates the server bundle on every rebuild, and a module-level
 * variable would open a second connection pool, or worse a second PGlite on the same directory (silent data loss).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import * as schema from "./schema/index";
import { acquireDataDirLock, type DataDirLock } from "./lock.server";
import { applyMigrations, withStartupLock } from "./startup-lock.server";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A database or a transaction: query helpers take this so they compose inside `withTransaction`. */
export type DbOrTx = Db;

export interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where the data lives, for logs: a directory, "memory://" or the URL without its password. */
  location: string;
  /** Runs `select 1`; used by the outage probe (server/outage.ts). */
  ping(): Promise<void>;
  /** Connection use for /metrics (server/metrics.ts); absent where unknown. */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections the client may open (PGlite: its one connection). */
  max: number;
  /** Statements and transactions under way that hold a connection (at most `max`); postgres-js only. */
  inUse?: number;
  /** Statements and transactions waiting for a free connection; postgres-js only. */
  waiting?: number;
}

export interface OpenOptions {
  /** postgres:// URL; when given, PGlite is not used. */
  url?: string;
  /** PGlite data directory, or "memory://" for an in-memory database. Default ./data/pglite. */
  pgliteDir?: string;
  /** Connection pool size for postgres-js. */
  poolSize?: number;
  /** Take the single-process lock on the PGlite directory (the server does; short-lived scripts too). */
  lock?: boolean;
  /**
   * An in-memory PGlite starts from this dump (PGlite's dumpDataDir) instead of an empty cluster: tests share one
   * migrated database this way (tests/helpers/global-setup.ts), saving the initdb and migrations of each file.
   */
  pgliteDump?: Blob;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Absolute path of the committed drizzle-kit migrations, found from this file (works from the build and from tsx). */
export const migrationsFolder = findUp("migrations");

function findUp(name: string): string {
  let dir = here;
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(process.cwd(), name);
    dir = parent;
  }
}

/** True when the URL points at a transaction-mode pooler, where prepared statements break. */
export function isTransactionPooler(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.searchParams.get("pgbouncer") === "true") return true;
    if (u.port === "6543") return true; // Supabase's transaction-mode pooler port
    return /pooler\.supabase\.com$/.test(u.hostname) && u.port !== "5432";
  } catch {
    return false;
  }
}

/**
 * The URL handed to postgres-js: without our `pgbouncer` marker. postgres-js sends every unknown query parameter as
 * a startup parameter, which PgBouncer refuses ("unsupported startup parameter: pgbouncer", 08P01) and PostgreSQL
 * too ('unrecognized configuration parameter "pgbouncer"', 42704).
 */
export function driverUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.searchParams.has("pgbouncer")) return url;
    u.searchParams.delete("pgbouncer");
    return u.toString();
  } catch {
    return url;
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}

/**
 * True when `db` talks to a PostgreSQL server (postgres-js), false for the embedded PGlite. Read from the client
 * drizzle was built with, because tests and the server hand databases around without their DbHandle.
 */
export function isServerDatabase(db: Db): boolean {
  // postgres-js's client is a tagged-template function; PGlite's is an object.
  return typeof (db as unknown as { $client?: unknown }).$client === "function";
}

export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize);
  return openPglite(opts.pgliteDir ?? defaultPgliteDir(), opts.lock ?? false, opts.pgliteDump);
}

export function defaultPgliteDir(): string {
  return process.env.PGLITE_DIR ?? path.resolve(process.cwd(), "data", "pglite");
}

async function openPostgres(url: string, poolSize?: number): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const pooled = isTransactionPooler(url);
  const local = /@(localhost|127\.|\[::1\])/.test(url) || /host=\/|@\//.test(url);
  const sql = postgres(driverUrl(url), {
    max: poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    idle_timeout: Number(process.env.DATABASE_IDLE_TIMEOUT ?? 20),
    connect_timeout: Number(process.env.DATABASE_CONNECT_TIMEOUT ?? 10),
    // Seconds before reconnecting after a failed connection. postgres-js's default grows with a retry counter SHARED
    // by the pool (3^n/100 s, up to 20 s) that only resets on a successful connect: after an outage of a few seconds
    // requests waited up to 20 s for a connection although the database was back. Cap it at 1 s.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
    prepare: !pooled,
    // Local servers and CI run without TLS; hosted Postgres (Supabase) requires it.
    ssl: process.env.DATABASE_SSL ? process.env.DATABASE_SSL !== "false" && "require" : local ? false : "prefer",
    onnotice: () => {},
    connection: { application_name: "pinpoint" },
  });
  const max = poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10);
  const busy = { count: 0 };
  const db = drizzle(countingClient(statementClient(sql, { prepare: !pooled }), busy), { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    location: redactUrl(url),
    poolStats: () => ({ max, inUse: Math.min(busy.count, max), waiting: Math.max(0, busy.count - max) }),
    async ping() {
      await sql`select 1`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * Counts what holds (or waits for) one of the pool's connections: a statement outside a transaction, or a whole
 * transaction (its statements run on the transaction's connection and are not counted again). postgres-js keeps its
 * queues private, so /metrics reads this count instead (server/metrics.ts).
 */
function countingClient(sql: Sql, busy: { count: number }): Sql {
  const done = () => {
    busy.count -= 1;
  };
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "unsafe") {
        return (...args: unknown[]) => {
          const query = (target.unsafe as (...a: unknown[]) => PromiseLike<unknown>)(...args);
          busy.count += 1;
          // After the caller's synchronous `.values()`/`.raw()`: postgres-js starts a query on its first `then`.
          queueMicrotask(() => void query.then(done, done));
          return query;
        };
      }
      if (prop === "begin") {
        return (...args: unknown[]) => {
          const transaction = (target.begin as (...a: unknown[]) => Promise<unknown>)(...args);
          busy.count += 1;
          void transaction.then(done, done);
          return transaction;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * drizzle's postgres-js driver runs every query as `sql.unsafe(text, params, { prepare: false })` unless it was built
 * with `.prepare(name)`, whatever the client's own `prepare` option says. For a statement with parameters postgres-js
 * then needs two round trips (Describe, then Bind/Execute) and the server parses and plans the text every time: on the
 * issue page that was 11 statements, ~3 KB and ~11 socket writes per request instead of ~350 bytes and ~5 writes
 * (docs/benchmarks.md). So the choice is made here, for every statement, not by drizzle: on direct connections
 * postgres-js prepares every statement (it caches them per connection by text and re-prepares after a reconnect or a
 * schema change); poolers in transaction mode cannot keep prepared statements and never get one, also for queries
 * built once with a name (db/reusable-query.server.ts).
 */
export function statementClient(sql: Sql, opts: { prepare: boolean }): Sql {
  const wrapCallback = (args: unknown[]) => {
    const fn = args[args.length - 1] as (tx: Sql) => unknown;
    return [...args.slice(0, -1), (tx: Sql) => fn(statementClient(tx, opts))];
  };
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "unsafe") {
        return (text: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(text, params as never, { ...options, prepare: opts.prepare });
      }
      if (prop === "begin" || prop === "savepoint") {
        const method = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[prop];
        return (...args: unknown[]) => method.apply(target, wrapCallback(args));
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The extensions the migrations create (`CREATE EXTENSION`), which PGlite must be given when it opens: pg_trgm for the
 * duplicate guard and the forgiving search (migrations/0012_trigram_search.sql).
 */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

async function openPglite(dir: string, lock: boolean, dump?: Blob): Promise<DbHandle> {
  const memory = dir.startsWith("memory://");
  let dirLock: DataDirLock | undefined;
  if (!memory) {
    // PGlite does not create parent directories.
    fs.mkdirSync(dir, { recursive: true });
    if (lock) dirLock = acquireDataDirLock(dir);
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const extensions = await pgliteExtensions();
  let client: InstanceType<typeof PGlite>;
  try {
    client = memory ? new PGlite({ extensions, loadDataDir: dump }) : new PGlite(dir, { extensions });
    await client.waitReady;
  } catch (error) {
    dirLock?.release();
    throw error;
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: "pglite",
    location: memory ? "memory://" : dir,
    async ping() {
      await client.query("select 1");
    },
    poolStats: () => ({ max: 1 }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        dirLock?.release();
      }
    },
  };
}

/**
 * Applies the pending migrations in one transaction under the start-up lock (db/startup-lock.server.ts), so servers
 * starting together on one PostgreSQL database migrate it once; the others wait, then find nothing to apply.
 */
export async function migrateDatabase(handle: DbHandle): Promise<number> {
  return withStartupLock(handle.db, (tx) => applyMigrations(tx, migrationsFolder));
}

/** Runs `fn` in one transaction (defined in ./transaction.ts, which query helpers import directly). */
export { withTransaction } from "./transaction.server";

// ---------------------------------------------------------------------------------------------------------------
// The process-wide singleton.

interface SingletonState {
  promise?: Promise<DbHandle>;
  handle?: DbHandle;
  opened: number;
}

const globalKey = Symbol.for("pinpoint.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: SingletonState };

function state(): SingletonState {
  const g = globalThis as GlobalWithDb;
  g[globalKey] ??= { opened: 0 };
  return g[globalKey];
}

/**
 * The shared database of this process: opened, locked and migrated on first use, then reused, also across
 * `remix dev` rebuilds. When opening fails the promise is forgotten so the next call can retry.
 */
export function getDatabase(): Promise<DbHandle> {
  const s = state();
  if (!s.promise) {
    s.opened += 1;
    s.promise = (async () => {
      const handle = await openDatabase({ url: process.env.DATABASE_URL || undefined, lock: true });
      try {
        if (process.env.DB_AUTO_MIGRATE !== "false") await migrateDatabase(handle);
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
      s.handle = handle;
      return handle;
    })();
    s.promise.catch(() => {
      s.promise = undefined;
    });
  }
  return s.promise;
}

/** How many times this process opened the singleton (tests prove reloads do not reopen it). */
export function databaseOpenCount(): number {
  return state().opened;
}

/** Closes the singleton if it was opened. Safe to call twice. */
export async function closeDatabase(): Promise<void> {
  const s = state();
  const pending = s.promise;
  s.promise = undefined;
  s.handle = undefined;
  if (pending) {
    const handle = await pending.catch(() => undefined);
    await handle?.close();
  }
}
