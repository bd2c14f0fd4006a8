CREATE TABLE "MachinePresenceChange" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"machineId" text NOT NULL,
	"fromPresence" text NOT NULL,
	"toPresence" text NOT NULL,
	"actorId" text,
	"changedAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "MachinePresenceChange_from_check" CHECK ("fromPresence" in ('on_floor', 'off_floor', 'on_loan', 'pending_arrival', 'removed')),
	CONSTRAINT "MachinePresenceChange_to_check" CHECK ("toPresence" in ('on_floor', 'off_floor', 'on_loan', 'pending_arrival', 'removed'))
);
--> statement-breakpoint
CREATE TABLE "MaintenanceNote" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"machineId" text NOT NULL,
	"issueId" text,
	"authorId" text,
	"performedOn" date NOT NULL,
	"tag" text NOT NULL,
	"content" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "MaintenanceNote_tag_check" CHECK ("tag" in ('maintenance', 'parts', 'adjustment', 'upgrade', 'cleaning'))
);
--> statement-breakpoint
CREATE TABLE "MaintenancePhoto" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"noteId" text NOT NULL,
	"url" text NOT NULL,
	"thumbnailUrl" text,
	"fileName" text NOT NULL,
	"fileType" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Watch" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"userId" text NOT NULL,
	"issueId" text,
	"machineId" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "Watch_target_check" CHECK (num_nonnulls("issueId", "machineId") = 1)
);
--> statement-breakpoint
ALTER TABLE "Machine" ADD COLUMN "presence" text DEFAULT 'on_floor' NOT NULL;--> statement-breakpoint
ALTER TABLE "MachinePresenceChange" ADD CONSTRAINT "MachinePresenceChange_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MachinePresenceChange" ADD CONSTRAINT "MachinePresenceChange_machineId_Machine_id_fk" FOREIGN KEY ("machineId") REFERENCES "public"."Machine"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MachinePresenceChange" ADD CONSTRAINT "MachinePresenceChange_actorId_User_id_fk" FOREIGN KEY ("actorId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenanceNote" ADD CONSTRAINT "MaintenanceNote_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenanceNote" ADD CONSTRAINT "MaintenanceNote_machineId_Machine_id_fk" FOREIGN KEY ("machineId") REFERENCES "public"."Machine"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenanceNote" ADD CONSTRAINT "MaintenanceNote_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenanceNote" ADD CONSTRAINT "MaintenanceNote_authorId_User_id_fk" FOREIGN KEY ("authorId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenancePhoto" ADD CONSTRAINT "MaintenancePhoto_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "MaintenancePhoto" ADD CONSTRAINT "MaintenancePhoto_noteId_MaintenanceNote_id_fk" FOREIGN KEY ("noteId") REFERENCES "public"."MaintenanceNote"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_machineId_Machine_id_fk" FOREIGN KEY ("machineId") REFERENCES "public"."Machine"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "MachinePresenceChange_machineId_changedAt_idx" ON "MachinePresenceChange" USING btree ("machineId","changedAt");--> statement-breakpoint
CREATE INDEX "MachinePresenceChange_organizationId_idx" ON "MachinePresenceChange" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "MachinePresenceChange_actorId_idx" ON "MachinePresenceChange" USING btree ("actorId");--> statement-breakpoint
CREATE INDEX "MaintenanceNote_organizationId_machineId_performedOn_idx" ON "MaintenanceNote" USING btree ("organizationId","machineId","performedOn");--> statement-breakpoint
CREATE INDEX "MaintenanceNote_machineId_idx" ON "MaintenanceNote" USING btree ("machineId");--> statement-breakpoint
CREATE INDEX "MaintenanceNote_issueId_idx" ON "MaintenanceNote" USING btree ("issueId") WHERE "issueId" is not null;--> statement-breakpoint
CREATE INDEX "MaintenanceNote_authorId_idx" ON "MaintenanceNote" USING btree ("authorId");--> statement-breakpoint
CREATE INDEX "MaintenancePhoto_noteId_idx" ON "MaintenancePhoto" USING btree ("noteId");--> statement-breakpoint
CREATE INDEX "MaintenancePhoto_organizationId_idx" ON "MaintenancePhoto" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Watch_userId_issueId_key" ON "Watch" USING btree ("userId","issueId");--> statement-breakpoint
CREATE UNIQUE INDEX "Watch_userId_machineId_key" ON "Watch" USING btree ("userId","machineId");--> statement-breakpoint
CREATE INDEX "Watch_issueId_idx" ON "Watch" USING btree ("issueId") WHERE "issueId" is not null;--> statement-breakpoint
CREATE INDEX "Watch_machineId_idx" ON "Watch" USING btree ("machineId") WHERE "machineId" is not null;--> statement-breakpoint
CREATE INDEX "Watch_organizationId_idx" ON "Watch" USING btree ("organizationId");--> statement-breakpoint
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_presence_check" CHECK ("presence" in ('on_floor', 'off_floor', 'on_loan', 'pending_arrival', 'removed'));--> statement-breakpoint
-- The maintenance log's permission (core/permissions.ts). The id is the seed's (db/seed.server.ts seedId), so a
-- database migrated here and one seeded later agree. docs/decisions/041-floor-presence-maintenance-watchers.md
INSERT INTO "Permission" ("id", "name", "description") VALUES ('ci9bds4cocv2ueizmfzif37p', 'machine:maintain', 'Add maintenance notes to machines and edit or delete their own') ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Existing roles that already look after machines or work on issues get it: those people do the repairs. The
-- Unauthenticated role holds neither (core/permissions.ts PUBLIC_PERMISSIONS), so visitors never get it.
INSERT INTO "_RolePermissions" ("A", "B")
SELECT p."id", r."id" FROM "Role" r CROSS JOIN "Permission" p
WHERE p."name" = 'machine:maintain'
  AND EXISTS (
    SELECT 1 FROM "_RolePermissions" rp JOIN "Permission" q ON q."id" = rp."A"
    WHERE rp."B" = r."id" AND q."name" IN ('machine:edit', 'issue:edit', 'issue:bulk_manage')
  )
ON CONFLICT DO NOTHING;
