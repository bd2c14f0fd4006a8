CREATE TYPE "public"."MailStatus" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "MailOutbox" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text,
	"kind" text NOT NULL,
	"toAddress" text NOT NULL,
	"subject" text NOT NULL,
	"textBody" text NOT NULL,
	"htmlBody" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupeKey" text,
	"status" "MailStatus" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"nextAttemptAt" timestamp (3) DEFAULT (now() at time zone 'utc') NOT NULL,
	"lockedUntil" timestamp (3),
	"lastError" text,
	"sentAt" timestamp (3),
	"createdAt" timestamp (3) DEFAULT (now() at time zone 'utc') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "PasswordResetToken" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"tokenHash" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"expiresAt" timestamp (3) NOT NULL,
	"usedAt" timestamp (3)
);
--> statement-breakpoint
ALTER TABLE "MailOutbox" ADD CONSTRAINT "MailOutbox_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "PasswordResetToken" ADD CONSTRAINT "PasswordResetToken_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "MailOutbox_dedupeKey_key" ON "MailOutbox" USING btree ("dedupeKey");--> statement-breakpoint
CREATE INDEX "MailOutbox_pending_idx" ON "MailOutbox" USING btree ("nextAttemptAt","createdAt") WHERE "MailOutbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "MailOutbox_organizationId_createdAt_idx" ON "MailOutbox" USING btree ("organizationId","createdAt");--> statement-breakpoint
CREATE UNIQUE INDEX "PasswordResetToken_tokenHash_key" ON "PasswordResetToken" USING btree ("tokenHash");--> statement-breakpoint
CREATE INDEX "PasswordResetToken_userId_idx" ON "PasswordResetToken" USING btree ("userId");