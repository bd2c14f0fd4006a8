CREATE TABLE "IssueMerge" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"sourceIssueId" text NOT NULL,
	"targetIssueId" text NOT NULL,
	"previousStatusId" text,
	"previousResolvedAt" timestamp (3),
	"movedUpvoteIds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"movedSubscriberIds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mergedById" text,
	"mergedAt" timestamp (3) DEFAULT now() NOT NULL,
	"undoneById" text,
	"undoneAt" timestamp (3)
);
--> statement-breakpoint
ALTER TABLE "Issue" ADD COLUMN "mergedIntoId" text;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_sourceIssueId_Issue_id_fk" FOREIGN KEY ("sourceIssueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_targetIssueId_Issue_id_fk" FOREIGN KEY ("targetIssueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_previousStatusId_IssueStatus_id_fk" FOREIGN KEY ("previousStatusId") REFERENCES "public"."IssueStatus"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_mergedById_User_id_fk" FOREIGN KEY ("mergedById") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueMerge" ADD CONSTRAINT "IssueMerge_undoneById_User_id_fk" FOREIGN KEY ("undoneById") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "IssueMerge_sourceIssueId_active_key" ON "IssueMerge" USING btree ("sourceIssueId") WHERE "undoneAt" is null;--> statement-breakpoint
CREATE INDEX "IssueMerge_targetIssueId_idx" ON "IssueMerge" USING btree ("targetIssueId");--> statement-breakpoint
CREATE INDEX "IssueMerge_organizationId_idx" ON "IssueMerge" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "IssueMerge_mergedById_idx" ON "IssueMerge" USING btree ("mergedById") WHERE "mergedById" is not null;--> statement-breakpoint
CREATE INDEX "IssueMerge_undoneById_idx" ON "IssueMerge" USING btree ("undoneById") WHERE "undoneById" is not null;--> statement-breakpoint
CREATE INDEX "IssueMerge_previousStatusId_idx" ON "IssueMerge" USING btree ("previousStatusId") WHERE "previousStatusId" is not null;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_mergedIntoId_Issue_id_fk" FOREIGN KEY ("mergedIntoId") REFERENCES "public"."Issue"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "Issue_mergedIntoId_idx" ON "Issue" USING btree ("mergedIntoId") WHERE "mergedIntoId" is not null;