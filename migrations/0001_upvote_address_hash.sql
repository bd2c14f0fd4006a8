ALTER TABLE "Upvote" ADD COLUMN "addressHash" text;--> statement-breakpoint
CREATE INDEX "Upvote_issueId_addressHash_createdAt_idx" ON "Upvote" USING btree ("issueId","addressHash","createdAt");