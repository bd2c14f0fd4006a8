import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Fixed-window rate-limit counters shared by every app instance on one PostgreSQL database
 * (app/lib/rate-limit.server.ts). UNLOGGED in the migration: counters are worth nothing after a crash and need no
 * WAL; PostgreSQL empties the table after a crash, which only forgets current windows. Not used on PGlite.
 */
export const rateLimitCounters = pgTable("RateLimitCounter", {
  /** Namespaced by purpose, e.g. "login:ip:1.2.3.4". */
  key: text("key").primaryKey(),
  /** Hits counted in the current window. */
  count: integer("count").notNull(),
  /** When the current window ends, in milliseconds since 1970 (the app's clock, as the in-process store). */
  resetAt: bigint("resetAt", { mode: "number" }).notNull(),
});

export type RateLimitCounter = typeof rateLimitCounters.$inferSelect;
