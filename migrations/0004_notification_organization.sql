-- Notifications belong to an organization (db/PARITY.md). The column is added nullable, existing rows are filled from
-- what each notification is about, the rows that cannot be attributed are deleted, then the column becomes NOT NULL.
-- drizzle-kit generated `ADD COLUMN ... NOT NULL`, which fails on a table with rows; the backfill is hand-written.
DROP INDEX "Notification_userId_read_idx";--> statement-breakpoint
DROP INDEX "Notification_userId_createdAt_idx";--> statement-breakpoint
ALTER TABLE "Notification" ADD COLUMN "organizationId" text;--> statement-breakpoint
-- 1. From the entity it names: an issue, a comment (its issue's), a machine, an organization.
UPDATE "Notification" n SET "organizationId" = i."organizationId"
FROM "Issue" i
WHERE n."organizationId" IS NULL AND n."entityType" = 'ISSUE' AND i."id" = n."entityId";--> statement-breakpoint
UPDATE "Notification" n SET "organizationId" = i."organizationId"
FROM "Comment" c JOIN "Issue" i ON i."id" = c."issueId"
WHERE n."organizationId" IS NULL AND n."entityType" = 'COMMENT' AND c."id" = n."entityId";--> statement-breakpoint
UPDATE "Notification" n SET "organizationId" = m."organizationId"
FROM "Machine" m
WHERE n."organizationId" IS NULL AND n."entityType" = 'MACHINE' AND m."id" = n."entityId";--> statement-breakpoint
UPDATE "Notification" n SET "organizationId" = o."id"
FROM "Organization" o
WHERE n."organizationId" IS NULL AND n."entityType" = 'ORGANIZATION' AND o."id" = n."entityId";--> statement-breakpoint
-- 2. From its link, for rows without a (surviving) entity, e.g. a comment purged since: /issues/<id>, /machines/<id>.
UPDATE "Notification" n SET "organizationId" = i."organizationId"
FROM "Issue" i
WHERE n."organizationId" IS NULL AND i."id" = substring(n."actionUrl" from '^/issues/([^/?#]+)');--> statement-breakpoint
UPDATE "Notification" n SET "organizationId" = m."organizationId"
FROM "Machine" m
WHERE n."organizationId" IS NULL AND m."id" = substring(n."actionUrl" from '^/machines/([^/?#]+)');--> statement-breakpoint
-- 3. The recipient's organization, when they are a member of exactly one.
UPDATE "Notification" n SET "organizationId" = one."organizationId"
FROM (
	SELECT "userId", min("organizationId") AS "organizationId"
	FROM "Membership"
	GROUP BY "userId"
	HAVING count(*) = 1
) one
WHERE n."organizationId" IS NULL AND one."userId" = n."userId";--> statement-breakpoint
-- 4. What is left is about something that no longer exists, for someone in no or several organizations: no
-- organization can show it without guessing, so it is removed.
DELETE FROM "Notification" WHERE "organizationId" IS NULL;--> statement-breakpoint
ALTER TABLE "Notification" ALTER COLUMN "organizationId" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "Notification_userId_organizationId_read_idx" ON "Notification" USING btree ("userId","organizationId","read");--> statement-breakpoint
CREATE INDEX "Notification_userId_organizationId_createdAt_idx" ON "Notification" USING btree ("userId","organizationId","createdAt");
