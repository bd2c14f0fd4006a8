ALTER TABLE "User" ADD COLUMN "emailFrequencyByKind" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Existing accounts: their single e-mail frequency becomes the choice of every kind (there is no weekly digest, so
-- weekly becomes daily; "never" becomes off). emailNotificationsEnabled stays the switch for all of them.
UPDATE "User" SET "emailFrequencyByKind" = jsonb_build_object(
  'ISSUE_ASSIGNED', c.choice, 'ISSUE_COMMENTED', c.choice, 'ISSUE_UPDATED', c.choice, 'ISSUE_CREATED', c.choice)
FROM (SELECT id, CASE "notificationFrequency"::text
        WHEN 'IMMEDIATE' THEN 'IMMEDIATE' WHEN 'DAILY' THEN 'DAILY' WHEN 'WEEKLY' THEN 'DAILY' ELSE 'OFF' END AS choice
      FROM "User") c
WHERE c.id = "User".id;
