-- UNLOGGED by hand (drizzle-kit cannot say it): counters need no WAL and may be lost in a crash.
CREATE UNLOGGED TABLE "RateLimitCounter" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"resetAt" bigint NOT NULL
);
