CREATE TABLE "IdempotencyKey" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"result" jsonb,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "IdempotencyKey" ADD CONSTRAINT "IdempotencyKey_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "IdempotencyKey_organizationId_scope_key_key" ON "IdempotencyKey" USING btree ("organizationId","scope","key");--> statement-breakpoint
CREATE INDEX "IdempotencyKey_organizationId_createdAt_idx" ON "IdempotencyKey" USING btree ("organizationId","createdAt");