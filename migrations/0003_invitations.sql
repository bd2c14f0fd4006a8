-- Invitations get their own table (docs/decisions/023-invitation-links.md). Memberships made by the old flow
-- (a User without password, emailVerified null) are deliberately not converted: they stay, and cannot be claimed.
CREATE TABLE "Invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"email" text NOT NULL,
	"roleId" text NOT NULL,
	"tokenHash" text NOT NULL,
	"invitedById" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"expiresAt" timestamp (3) NOT NULL,
	"acceptedAt" timestamp (3),
	"acceptedById" text,
	"revokedAt" timestamp (3)
);
--> statement-breakpoint
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_roleId_Role_id_fk" FOREIGN KEY ("roleId") REFERENCES "public"."Role"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_invitedById_User_id_fk" FOREIGN KEY ("invitedById") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_acceptedById_User_id_fk" FOREIGN KEY ("acceptedById") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation" USING btree ("tokenHash");--> statement-breakpoint
CREATE UNIQUE INDEX "Invitation_organizationId_email_pending_key" ON "Invitation" USING btree ("organizationId","email") WHERE "Invitation"."acceptedAt" is null and "Invitation"."revokedAt" is null;