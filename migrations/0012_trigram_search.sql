-- pg_trgm: similarity for the duplicate guard and the forgiving search (docs/decisions/038-trigram-search-and-duplicate-guard.md).
-- PGlite loads it from @electric-sql/pglite/contrib/pg_trgm (db/client.server.ts); PostgreSQL ships it in contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "Issue_title_trgm_idx" ON "Issue" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "Issue_submitter_trgm_idx" ON "Issue" USING gin ((coalesce("submitterName", '') || ' ' || coalesce("reporterEmail", '')) gin_trgm_ops);