CREATE TYPE "public"."NotificationFrequency" AS ENUM('IMMEDIATE', 'DAILY', 'WEEKLY', 'DISABLED');--> statement-breakpoint
CREATE TYPE "public"."ActivityType" AS ENUM('CREATED', 'STATUS_CHANGED', 'ASSIGNED', 'PRIORITY_CHANGED', 'COMMENTED', 'COMMENT_DELETED', 'ATTACHMENT_ADDED', 'MERGED', 'RESOLVED', 'REOPENED', 'SYSTEM');--> statement-breakpoint
CREATE TYPE "public"."StatusCategory" AS ENUM('NEW', 'IN_PROGRESS', 'RESOLVED');--> statement-breakpoint
CREATE TYPE "public"."NotificationEntity" AS ENUM('ISSUE', 'MACHINE', 'COMMENT', 'ORGANIZATION');--> statement-breakpoint
CREATE TYPE "public"."NotificationType" AS ENUM('ISSUE_CREATED', 'ISSUE_UPDATED', 'ISSUE_ASSIGNED', 'ISSUE_COMMENTED', 'MACHINE_ASSIGNED', 'SYSTEM_ANNOUNCEMENT');--> statement-breakpoint
CREATE TABLE "Account" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"providerAccountId" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text
);
--> statement-breakpoint
CREATE TABLE "Password" (
	"userId" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Session" (
	"id" text PRIMARY KEY NOT NULL,
	"sessionToken" text NOT NULL,
	"userId" text NOT NULL,
	"expires" timestamp (3) NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"lastSeenAt" timestamp (3) DEFAULT now() NOT NULL,
	"ipAddress" text,
	"userAgent" text
);
--> statement-breakpoint
CREATE TABLE "User" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"email" text,
	"emailVerified" timestamp (3),
	"image" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL,
	"bio" text,
	"profilePicture" text,
	"emailNotificationsEnabled" boolean DEFAULT true NOT NULL,
	"pushNotificationsEnabled" boolean DEFAULT false NOT NULL,
	"notificationFrequency" "NotificationFrequency" DEFAULT 'IMMEDIATE' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "VerificationToken" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp (3) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "AuditLog" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"actorId" text,
	"action" text NOT NULL,
	"targetType" text NOT NULL,
	"targetId" text,
	"meta" jsonb,
	"ipAddress" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Membership" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"organizationId" text NOT NULL,
	"roleId" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Organization" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"subdomain" text NOT NULL,
	"logoUrl" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Permission" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "_RolePermissions" (
	"A" text NOT NULL,
	"B" text NOT NULL,
	CONSTRAINT "_RolePermissions_AB_pkey" PRIMARY KEY("A","B")
);
--> statement-breakpoint
CREATE TABLE "Role" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organizationId" text NOT NULL,
	"isDefault" boolean DEFAULT false NOT NULL,
	"isSystem" boolean DEFAULT false NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Location" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organizationId" text NOT NULL,
	"street" text,
	"city" text,
	"state" text,
	"zip" text,
	"phone" text,
	"website" text,
	"latitude" double precision,
	"longitude" double precision,
	"description" text,
	"pinballMapId" integer,
	"regionId" text,
	"lastSyncAt" timestamp (3),
	"syncEnabled" boolean DEFAULT false NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Machine" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organizationId" text NOT NULL,
	"locationId" text NOT NULL,
	"modelId" text NOT NULL,
	"ownerId" text,
	"ownerNotificationsEnabled" boolean DEFAULT true NOT NULL,
	"notifyOnNewIssues" boolean DEFAULT true NOT NULL,
	"notifyOnStatusChanges" boolean DEFAULT true NOT NULL,
	"notifyOnComments" boolean DEFAULT false NOT NULL,
	"qrCodeId" text NOT NULL,
	"qrCodeUrl" text,
	"qrCodeGeneratedAt" timestamp (3),
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Model" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"manufacturer" text,
	"year" integer,
	"ipdbId" text,
	"opdbId" text,
	"machineType" text,
	"machineDisplay" text,
	"isActive" boolean DEFAULT true NOT NULL,
	"ipdbLink" text,
	"opdbImgUrl" text,
	"kineticistUrl" text,
	"isCustom" boolean DEFAULT false NOT NULL,
	"organizationId" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Attachment" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"fileName" text NOT NULL,
	"fileType" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"organizationId" text NOT NULL,
	"issueId" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Comment" (
	"id" text PRIMARY KEY NOT NULL,
	"content" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL,
	"deletedAt" timestamp (3),
	"deletedBy" text,
	"issueId" text NOT NULL,
	"authorId" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "IssueHistory" (
	"id" text PRIMARY KEY NOT NULL,
	"field" text NOT NULL,
	"oldValue" text,
	"newValue" text,
	"changedAt" timestamp (3) DEFAULT now() NOT NULL,
	"organizationId" text NOT NULL,
	"actorId" text,
	"type" "ActivityType" NOT NULL,
	"issueId" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "IssueStatus" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" "StatusCategory" NOT NULL,
	"organizationId" text NOT NULL,
	"isDefault" boolean DEFAULT false NOT NULL,
	"sortOrder" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Issue" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"consistency" text,
	"checklist" jsonb,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL,
	"resolvedAt" timestamp (3),
	"reporterEmail" text,
	"submitterName" text,
	"organizationId" text NOT NULL,
	"machineId" text NOT NULL,
	"statusId" text NOT NULL,
	"priorityId" text NOT NULL,
	"createdById" text,
	"assignedToId" text,
	"followToken" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Priority" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"order" integer NOT NULL,
	"organizationId" text NOT NULL,
	"isDefault" boolean DEFAULT false NOT NULL,
	"sortOrder" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Upvote" (
	"id" text PRIMARY KEY NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"issueId" text NOT NULL,
	"userId" text,
	"voterKey" text,
	CONSTRAINT "Upvote_voter_check" CHECK (num_nonnulls("userId", "voterKey") = 1)
);
--> statement-breakpoint
CREATE TABLE "_CollectionToMachine" (
	"A" text NOT NULL,
	"B" text NOT NULL,
	CONSTRAINT "_CollectionToMachine_AB_pkey" PRIMARY KEY("A","B")
);
--> statement-breakpoint
CREATE TABLE "CollectionType" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organizationId" text NOT NULL,
	"isAutoGenerated" boolean DEFAULT false NOT NULL,
	"isEnabled" boolean DEFAULT true NOT NULL,
	"sourceField" text,
	"generationRules" jsonb,
	"displayName" text,
	"description" text,
	"sortOrder" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "Collection" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"typeId" text NOT NULL,
	"locationId" text,
	"isSmart" boolean DEFAULT false NOT NULL,
	"isManual" boolean DEFAULT true NOT NULL,
	"description" text,
	"sortOrder" integer DEFAULT 0 NOT NULL,
	"filterCriteria" jsonb
);
--> statement-breakpoint
CREATE TABLE "Notification" (
	"id" text PRIMARY KEY NOT NULL,
	"message" text NOT NULL,
	"read" boolean DEFAULT false NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	"userId" text NOT NULL,
	"type" "NotificationType" NOT NULL,
	"entityType" "NotificationEntity",
	"entityId" text,
	"actionUrl" text
);
--> statement-breakpoint
CREATE TABLE "PinballMapConfig" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"apiEnabled" boolean DEFAULT false NOT NULL,
	"apiKey" text,
	"autoSyncEnabled" boolean DEFAULT false NOT NULL,
	"syncIntervalHours" integer DEFAULT 24 NOT NULL,
	"lastGlobalSync" timestamp (3),
	"createMissingModels" boolean DEFAULT true NOT NULL,
	"updateExistingData" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Password" ADD CONSTRAINT "Password_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_User_id_fk" FOREIGN KEY ("actorId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_roleId_Role_id_fk" FOREIGN KEY ("roleId") REFERENCES "public"."Role"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "_RolePermissions" ADD CONSTRAINT "_RolePermissions_A_Permission_id_fk" FOREIGN KEY ("A") REFERENCES "public"."Permission"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "_RolePermissions" ADD CONSTRAINT "_RolePermissions_B_Role_id_fk" FOREIGN KEY ("B") REFERENCES "public"."Role"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Role" ADD CONSTRAINT "Role_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Location" ADD CONSTRAINT "Location_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_locationId_Location_id_fk" FOREIGN KEY ("locationId") REFERENCES "public"."Location"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_modelId_Model_id_fk" FOREIGN KEY ("modelId") REFERENCES "public"."Model"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_ownerId_User_id_fk" FOREIGN KEY ("ownerId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Model" ADD CONSTRAINT "Model_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_deletedBy_User_id_fk" FOREIGN KEY ("deletedBy") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorId_User_id_fk" FOREIGN KEY ("authorId") REFERENCES "public"."User"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueHistory" ADD CONSTRAINT "IssueHistory_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueHistory" ADD CONSTRAINT "IssueHistory_actorId_User_id_fk" FOREIGN KEY ("actorId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueHistory" ADD CONSTRAINT "IssueHistory_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "IssueStatus" ADD CONSTRAINT "IssueStatus_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_machineId_Machine_id_fk" FOREIGN KEY ("machineId") REFERENCES "public"."Machine"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_statusId_IssueStatus_id_fk" FOREIGN KEY ("statusId") REFERENCES "public"."IssueStatus"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_priorityId_Priority_id_fk" FOREIGN KEY ("priorityId") REFERENCES "public"."Priority"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_createdById_User_id_fk" FOREIGN KEY ("createdById") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Issue" ADD CONSTRAINT "Issue_assignedToId_User_id_fk" FOREIGN KEY ("assignedToId") REFERENCES "public"."User"("id") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Priority" ADD CONSTRAINT "Priority_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Upvote" ADD CONSTRAINT "Upvote_issueId_Issue_id_fk" FOREIGN KEY ("issueId") REFERENCES "public"."Issue"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Upvote" ADD CONSTRAINT "Upvote_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "_CollectionToMachine" ADD CONSTRAINT "_CollectionToMachine_A_Collection_id_fk" FOREIGN KEY ("A") REFERENCES "public"."Collection"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "_CollectionToMachine" ADD CONSTRAINT "_CollectionToMachine_B_Machine_id_fk" FOREIGN KEY ("B") REFERENCES "public"."Machine"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "CollectionType" ADD CONSTRAINT "CollectionType_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Collection" ADD CONSTRAINT "Collection_typeId_CollectionType_id_fk" FOREIGN KEY ("typeId") REFERENCES "public"."CollectionType"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Collection" ADD CONSTRAINT "Collection_locationId_Location_id_fk" FOREIGN KEY ("locationId") REFERENCES "public"."Location"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."User"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "PinballMapConfig" ADD CONSTRAINT "PinballMapConfig_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "public"."Organization"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account" USING btree ("provider","providerAccountId");--> statement-breakpoint
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session" USING btree ("sessionToken");--> statement-breakpoint
CREATE INDEX "Session_userId_idx" ON "Session" USING btree ("userId");--> statement-breakpoint
CREATE UNIQUE INDEX "User_email_key" ON "User" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken" USING btree ("identifier","token");--> statement-breakpoint
CREATE INDEX "AuditLog_organizationId_createdAt_idx" ON "AuditLog" USING btree ("organizationId","createdAt");--> statement-breakpoint
CREATE UNIQUE INDEX "Membership_userId_organizationId_key" ON "Membership" USING btree ("userId","organizationId");--> statement-breakpoint
CREATE INDEX "Membership_organizationId_idx" ON "Membership" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Organization_subdomain_key" ON "Organization" USING btree ("subdomain");--> statement-breakpoint
CREATE UNIQUE INDEX "Permission_name_key" ON "Permission" USING btree ("name");--> statement-breakpoint
CREATE INDEX "_RolePermissions_B_index" ON "_RolePermissions" USING btree ("B");--> statement-breakpoint
CREATE UNIQUE INDEX "Role_name_organizationId_key" ON "Role" USING btree ("name","organizationId");--> statement-breakpoint
CREATE INDEX "Role_organizationId_idx" ON "Role" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "Location_organizationId_idx" ON "Location" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Machine_qrCodeId_key" ON "Machine" USING btree ("qrCodeId");--> statement-breakpoint
CREATE INDEX "Machine_organizationId_locationId_idx" ON "Machine" USING btree ("organizationId","locationId");--> statement-breakpoint
CREATE INDEX "Machine_organizationId_modelId_idx" ON "Machine" USING btree ("organizationId","modelId");--> statement-breakpoint
CREATE INDEX "Machine_ownerId_idx" ON "Machine" USING btree ("ownerId");--> statement-breakpoint
CREATE UNIQUE INDEX "Model_ipdbId_key" ON "Model" USING btree ("ipdbId");--> statement-breakpoint
CREATE UNIQUE INDEX "Model_opdbId_key" ON "Model" USING btree ("opdbId");--> statement-breakpoint
CREATE INDEX "Model_organizationId_idx" ON "Model" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "Attachment_issueId_idx" ON "Attachment" USING btree ("issueId");--> statement-breakpoint
CREATE INDEX "Attachment_organizationId_idx" ON "Attachment" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "Comment_issueId_createdAt_idx" ON "Comment" USING btree ("issueId","createdAt");--> statement-breakpoint
CREATE INDEX "Comment_authorId_idx" ON "Comment" USING btree ("authorId");--> statement-breakpoint
CREATE INDEX "IssueHistory_issueId_changedAt_idx" ON "IssueHistory" USING btree ("issueId","changedAt");--> statement-breakpoint
CREATE INDEX "IssueHistory_organizationId_idx" ON "IssueHistory" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "IssueStatus_name_organizationId_key" ON "IssueStatus" USING btree ("name","organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "IssueStatus_organizationId_default_key" ON "IssueStatus" USING btree ("organizationId") WHERE "isDefault" = true;--> statement-breakpoint
CREATE INDEX "IssueStatus_organizationId_idx" ON "IssueStatus" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Issue_followToken_key" ON "Issue" USING btree ("followToken");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_statusId_idx" ON "Issue" USING btree ("organizationId","statusId");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_machineId_idx" ON "Issue" USING btree ("organizationId","machineId");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_assignedToId_idx" ON "Issue" USING btree ("organizationId","assignedToId");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_createdAt_idx" ON "Issue" USING btree ("organizationId","createdAt");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_priorityId_idx" ON "Issue" USING btree ("organizationId","priorityId");--> statement-breakpoint
CREATE INDEX "Issue_createdById_idx" ON "Issue" USING btree ("createdById");--> statement-breakpoint
CREATE INDEX "Issue_search_idx" ON "Issue" USING gin (to_tsvector('english', "title" || ' ' || coalesce("description", '')));--> statement-breakpoint
CREATE UNIQUE INDEX "Priority_name_organizationId_key" ON "Priority" USING btree ("name","organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Priority_organizationId_default_key" ON "Priority" USING btree ("organizationId") WHERE "isDefault" = true;--> statement-breakpoint
CREATE INDEX "Priority_organizationId_idx" ON "Priority" USING btree ("organizationId");--> statement-breakpoint
CREATE UNIQUE INDEX "Upvote_issueId_userId_key" ON "Upvote" USING btree ("issueId","userId");--> statement-breakpoint
CREATE UNIQUE INDEX "Upvote_issueId_voterKey_key" ON "Upvote" USING btree ("issueId","voterKey");--> statement-breakpoint
CREATE INDEX "Upvote_issueId_idx" ON "Upvote" USING btree ("issueId");--> statement-breakpoint
CREATE INDEX "_CollectionToMachine_B_index" ON "_CollectionToMachine" USING btree ("B");--> statement-breakpoint
CREATE UNIQUE INDEX "CollectionType_name_organizationId_key" ON "CollectionType" USING btree ("name","organizationId");--> statement-breakpoint
CREATE INDEX "CollectionType_organizationId_sortOrder_idx" ON "CollectionType" USING btree ("organizationId","sortOrder");--> statement-breakpoint
CREATE UNIQUE INDEX "Collection_name_typeId_locationId_key" ON "Collection" USING btree ("name","typeId","locationId");--> statement-breakpoint
CREATE INDEX "Collection_typeId_idx" ON "Collection" USING btree ("typeId");--> statement-breakpoint
CREATE INDEX "Collection_locationId_typeId_idx" ON "Collection" USING btree ("locationId","typeId");--> statement-breakpoint
CREATE INDEX "Notification_userId_read_idx" ON "Notification" USING btree ("userId","read");--> statement-breakpoint
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE UNIQUE INDEX "PinballMapConfig_organizationId_key" ON "PinballMapConfig" USING btree ("organizationId");