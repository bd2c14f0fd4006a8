ALTER TABLE "Organization" ADD COLUMN "timeZone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "Organization" ADD COLUMN "locale" text DEFAULT 'en-US' NOT NULL;