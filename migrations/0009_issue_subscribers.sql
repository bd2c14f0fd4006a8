CREATE TABLE "IssueSubscriber" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"issueId" text NOT NULL,
	"email" text NOT NULL,
	"token" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"unsubscribedAt" timestamp (3)
);
--> statement-breakpoint
ALTER TABLE "IssueSubscriber" ADD CONSTRAINT "IssueSubscriber_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueSubscriber" ADD CONSTRAINT "IssueSubscriber_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "IssueSubscriber_issueId_email_key" ON "IssueSubscriber" USING btree ("issueId","email");--> statement-breakpoint
CREATE UNIQUE INDEX "IssueSubscriber_token_key" ON "IssueSubscriber" USING btree ("token");--> statement-breakpoint
CREATE INDEX "IssueSubscriber_organizationId_idx" ON "IssueSubscriber" USING btree ("organizationId");