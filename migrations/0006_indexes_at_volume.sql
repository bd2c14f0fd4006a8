DROP INDEX "Issue_organizationId_assignedToId_idx";--> statement-breakpoint
DROP INDEX "Issue_organizationId_priorityId_idx";--> statement-breakpoint
CREATE INDEX "AuditLog_actorId_idx" ON "AuditLog" USING btree ("actorId");--> statement-breakpoint
CREATE INDEX "Invitation_invitedById_idx" ON "Invitation" USING btree ("invitedById");--> statement-breakpoint
CREATE INDEX "Invitation_acceptedById_idx" ON "Invitation" USING btree ("acceptedById");--> statement-breakpoint
CREATE INDEX "Comment_deletedBy_idx" ON "Comment" USING btree ("deletedBy") WHERE "deletedBy" is not null;--> statement-breakpoint
CREATE INDEX "IssueHistory_actorId_idx" ON "IssueHistory" USING btree ("actorId");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_statusId_machineId_priorityId_idx" ON "Issue" USING btree ("organizationId","statusId","machineId","priorityId");--> statement-breakpoint
CREATE INDEX "Issue_assignedToId_organizationId_idx" ON "Issue" USING btree ("assignedToId","organizationId");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_updatedAt_idx" ON "Issue" USING btree ("organizationId","updatedAt");--> statement-breakpoint
CREATE INDEX "Issue_organizationId_priorityId_id_idx" ON "Issue" USING btree ("organizationId","priorityId","id");--> statement-breakpoint
CREATE INDEX "Upvote_userId_idx" ON "Upvote" USING btree ("userId") WHERE "userId" is not null;