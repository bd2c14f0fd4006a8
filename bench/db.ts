/**
 * Database handles for the benchmark.
 *
 * - PostgreSQL: the app gets `openDatabase({ url })` from db/client.server.ts, exactly as in production (postgres-js pool of
 *   10, prepared statements). A second, separate pool with a counting drizzle logger serves the statement-count pass.
 *   The baseline has its own postgres-js pool of the same size.
 * - PGlite: one in-memory PGlite instance holds the data; the app's drizzle handle is built on it the way
 *   db/client.server.ts builds it (`drizzle(client, { schema })`), the counting handle adds a logger, and the baseline talks
 *   to the same instance with hand-written SQL. (PGlite is single-connection: every query of every handler queues on
 *   it, which is the real situation of the embedded default.)
 */
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Logger } from "drizzle-orm";
import type postgres from "postgres";
import type { Db, DbHandle } from "../db/client.server";
import { migrateDatabase, openDatabase, pgliteExtensions } from "../db/client.server";
import * as schema from "../db/schema/index";

/** Counts the statements drizzle sends (every query of the app goes through drizzle; BEGIN/COMMIT are not counted). */
export class StatementCounter implements Logger {
  count = 0;
  /** When set, the statements are also recorded (for EXPLAIN). */
  recording: { query: string; params: unknown[] }[] | null = null;
  logQuery(query: string, params: unknown[]): void {
    this.count += 1;
    this.recording?.push({ query, params });
  }
}

/** Minimal interface of the raw clients the baseline and the EXPLAIN pass use. */
export interface RawClient {
  kind: "postgres" | "pglite";
  /** Parameterised query ($1, $2 …) returning rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in a transaction (one connection). */
  transaction<T>(fn: (q: RawClient) => Promise<T>): Promise<T>;
}

export interface BenchDatabase {
  kind: "postgres" | "pglite";
  /** The app's database handle (what createHttpApp gets). */
  app: DbHandle;
  /** The same database behind a counting logger. */
  counting: DbHandle;
  counter: StatementCounter;
  /** Hand-written-SQL client for the baseline server. */
  raw: RawClient;
  /** `select version()` */
  version: string;
  /** For PostgreSQL: the URL; for PGlite: "memory://". */
  location: string;
  close(): Promise<void>;
}

export async function openBenchPostgres(url: string, poolSize = 10): Promise<BenchDatabase> {
  const app = await openDatabase({ url, poolSize });
  await migrateDatabase(app);
  const { default: postgres } = await import("postgres");
  const counter = new StatementCounter();
  const countingSql = postgres(url, { max: 4, prepare: true, onnotice: () => {} });
  const countingDb = drizzlePostgres(countingSql, { schema, logger: counter }) as unknown as Db;
  const baselineSql = postgres(url, {
    max: poolSize,
    prepare: true,
    onnotice: () => {},
    connection: { application_name: "baseline" },
  });
  const raw = postgresRaw(baselineSql);
  const [{ version }] = await raw.query<{ version: string }>("select version()");
  return {
    kind: "postgres",
    app,
    counting: {
      db: countingDb,
      kind: "postgres",
      location: app.location,
      ping: async () => {
        await countingSql`select 1`;
      },
      close: async () => {
        await countingSql.end({ timeout: 5 });
      },
    },
    counter,
    raw,
    version,
    location: app.location,
    async close() {
      await Promise.allSettled([app.close(), countingSql.end({ timeout: 5 }), baselineSql.end({ timeout: 5 })]);
    },
  };
}

type PostgresSql = postgres.Sql;

function postgresRaw(sqlClient: unknown): RawClient {
  const client = sqlClient as PostgresSql;
  return {
    kind: "postgres",
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
    },
    async transaction<T>(fn: (q: RawClient) => Promise<T>) {
      return (await client.begin((tx: unknown) => fn(postgresRaw(tx)))) as T;
    },
  };
}

export async function openBenchPglite(): Promise<BenchDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const client = new PGlite({ extensions: await pgliteExtensions() });
  await client.waitReady;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close();
  };
  const appDb = drizzlePglite(client, { schema }) as unknown as Db;
  const app: DbHandle = {
    db: appDb,
    kind: "pglite",
    location: "memory://",
    ping: async () => {
      await client.query("select 1");
    },
    close,
  };
  await migrateDatabase(app);
  const counter = new StatementCounter();
  const countingDb = drizzlePglite(client, { schema, logger: counter }) as unknown as Db;
  const raw = pgliteRaw(client);
  const [{ version }] = await raw.query<{ version: string }>("select version()");
  return {
    kind: "pglite",
    app,
    counting: { ...app, db: countingDb, close: async () => {} },
    counter,
    raw,
    version,
    location: "memory://",
    close,
  };
}

interface PgliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T>;
}

function pgliteRaw(client: unknown): RawClient {
  const c = client as PgliteLike;
  return {
    kind: "pglite",
    async query<T>(text: string, params: unknown[] = []) {
      return (await c.query<T>(text, params)).rows;
    },
    async transaction<T>(fn: (q: RawClient) => Promise<T>) {
      return c.transaction((tx) => fn(pgliteRaw(tx)));
    },
  };
}
