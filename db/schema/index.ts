/**
 * The whole schema: every table and enum, plus Drizzle `relations()` for every relation in both directions
 * (for the relational query API `db.query.*`). Relations add no SQL; foreign keys live on the columns.
 */
import { relations } from "drizzle-orm";
import { accounts, passwords, sessions, users } from "./auth";
import { collectionMachines, collections, collectionTypes, notifications, pinballMapConfigs } from "./collections";
import {
  attachments,
  comments,
  issueHistory,
  issueMerges,
  issues,
  issueStatuses,
  issueSubscribers,
  priorities,
  upvotes,
} from "./issues";
import { machinePresenceChanges, maintenanceNotes, maintenancePhotos, watches } from "./floor";
import { locations, machines, models } from "./machines";
import { mailOutbox, passwordResetTokens } from "./mail";
import {
  auditLogs,
  idempotencyKeys,
  invitations,
  memberships,
  organizations,
  permissions,
  rolePermissions,
  roles,
} from "./organizations";

export * from "./auth";
export * from "./organizations";
export * from "./machines";
export * from "./issues";
export * from "./collections";
export * from "./mail";
export * from "./rate-limits";
export * from "./floor";

// --- auth ------------------------------------------------------------------------------------------------------

export const usersRelations = relations(users, ({ one, many }) => ({
  accounts: many(accounts),
  sessions: many(sessions),
  password: one(passwords),
  passwordResetTokens: many(passwordResetTokens),
  memberships: many(memberships),
  ownedMachines: many(machines),
  issuesCreated: many(issues, { relationName: "IssueCreatedBy" }),
  issuesAssigned: many(issues, { relationName: "IssueAssignedTo" }),
  comments: many(comments, { relationName: "CommentAuthor" }),
  deletedComments: many(comments, { relationName: "CommentDeleter" }),
  upvotes: many(upvotes),
  activityHistory: many(issueHistory),
  notifications: many(notifications),
  auditLogs: many(auditLogs),
  invitationsSent: many(invitations, { relationName: "InvitationInvitedBy" }),
  invitationsAccepted: many(invitations, { relationName: "InvitationAcceptedBy" }),
  presenceChanges: many(machinePresenceChanges),
  maintenanceNotes: many(maintenanceNotes),
  watches: many(watches),
}));

export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const passwordsRelations = relations(passwords, ({ one }) => ({
  user: one(users, { fields: [passwords.userId], references: [users.id] }),
}));

// --- organizations ---------------------------------------------------------------------------------------------

export const organizationsRelations = relations(organizations, ({ one, many }) => ({
  memberships: many(memberships),
  issueSubscribers: many(issueSubscribers),
  issueMerges: many(issueMerges),
  locations: many(locations),
  roles: many(roles),
  machines: many(machines),
  issues: many(issues),
  priorities: many(priorities),
  issueStatuses: many(issueStatuses),
  collectionTypes: many(collectionTypes),
  issueHistory: many(issueHistory),
  attachments: many(attachments),
  pinballMapConfig: one(pinballMapConfigs),
  customModels: many(models),
  auditLogs: many(auditLogs),
  idempotencyKeys: many(idempotencyKeys),
  invitations: many(invitations),
  notifications: many(notifications),
  mailOutbox: many(mailOutbox),
  machinePresenceChanges: many(machinePresenceChanges),
  maintenanceNotes: many(maintenanceNotes),
  maintenancePhotos: many(maintenancePhotos),
  watches: many(watches),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
  organization: one(organizations, { fields: [memberships.organizationId], references: [organizations.id] }),
  role: one(roles, { fields: [memberships.roleId], references: [roles.id] }),
}));

export const rolesRelations = relations(roles, ({ one, many }) => ({
  organization: one(organizations, { fields: [roles.organizationId], references: [organizations.id] }),
  memberships: many(memberships),
  rolePermissions: many(rolePermissions),
  invitations: many(invitations),
}));

export const permissionsRelations = relations(permissions, ({ many }) => ({
  rolePermissions: many(rolePermissions),
}));

export const rolePermissionsRelations = relations(rolePermissions, ({ one }) => ({
  permission: one(permissions, { fields: [rolePermissions.permissionId], references: [permissions.id] }),
  role: one(roles, { fields: [rolePermissions.roleId], references: [roles.id] }),
}));

export const invitationsRelations = relations(invitations, ({ one }) => ({
  organization: one(organizations, { fields: [invitations.organizationId], references: [organizations.id] }),
  role: one(roles, { fields: [invitations.roleId], references: [roles.id] }),
  invitedBy: one(users, {
    fields: [invitations.invitedById],
    references: [users.id],
    relationName: "InvitationInvitedBy",
  }),
  acceptedBy: one(users, {
    fields: [invitations.acceptedById],
    references: [users.id],
    relationName: "InvitationAcceptedBy",
  }),
}));

export const auditLogsRelations = relations(auditLogs, ({ one }) => ({
  organization: one(organizations, { fields: [auditLogs.organizationId], references: [organizations.id] }),
  actor: one(users, { fields: [auditLogs.actorId], references: [users.id] }),
}));

export const idempotencyKeysRelations = relations(idempotencyKeys, ({ one }) => ({
  organization: one(organizations, { fields: [idempotencyKeys.organizationId], references: [organizations.id] }),
}));

// --- machines --------------------------------------------------------------------------------------------------

export const locationsRelations = relations(locations, ({ one, many }) => ({
  organization: one(organizations, { fields: [locations.organizationId], references: [organizations.id] }),
  machines: many(machines),
  collections: many(collections),
}));

export const modelsRelations = relations(models, ({ one, many }) => ({
  organization: one(organizations, { fields: [models.organizationId], references: [organizations.id] }),
  machines: many(machines),
}));

export const machinesRelations = relations(machines, ({ one, many }) => ({
  organization: one(organizations, { fields: [machines.organizationId], references: [organizations.id] }),
  location: one(locations, { fields: [machines.locationId], references: [locations.id] }),
  model: one(models, { fields: [machines.modelId], references: [models.id] }),
  owner: one(users, { fields: [machines.ownerId], references: [users.id] }),
  issues: many(issues),
  collectionMachines: many(collectionMachines),
  presenceChanges: many(machinePresenceChanges),
  maintenanceNotes: many(maintenanceNotes),
  watches: many(watches),
}));

// --- issues ----------------------------------------------------------------------------------------------------

export const issuesRelations = relations(issues, ({ one, many }) => ({
  organization: one(organizations, { fields: [issues.organizationId], references: [organizations.id] }),
  subscribers: many(issueSubscribers),
  mergesAsSource: many(issueMerges, { relationName: "MergeSource" }),
  mergesAsTarget: many(issueMerges, { relationName: "MergeTarget" }),
  machine: one(machines, { fields: [issues.machineId], references: [machines.id] }),
  status: one(issueStatuses, { fields: [issues.statusId], references: [issueStatuses.id] }),
  priority: one(priorities, { fields: [issues.priorityId], references: [priorities.id] }),
  createdBy: one(users, { fields: [issues.createdById], references: [users.id], relationName: "IssueCreatedBy" }),
  assignedTo: one(users, { fields: [issues.assignedToId], references: [users.id], relationName: "IssueAssignedTo" }),
  comments: many(comments),
  attachments: many(attachments),
  history: many(issueHistory),
  upvotes: many(upvotes),
  maintenanceNotes: many(maintenanceNotes),
  watches: many(watches),
}));

export const prioritiesRelations = relations(priorities, ({ one, many }) => ({
  organization: one(organizations, { fields: [priorities.organizationId], references: [organizations.id] }),
  issues: many(issues),
}));

export const issueStatusesRelations = relations(issueStatuses, ({ one, many }) => ({
  organization: one(organizations, { fields: [issueStatuses.organizationId], references: [organizations.id] }),
  issues: many(issues),
}));

export const commentsRelations = relations(comments, ({ one }) => ({
  issue: one(issues, { fields: [comments.issueId], references: [issues.id] }),
  author: one(users, { fields: [comments.authorId], references: [users.id], relationName: "CommentAuthor" }),
  deleter: one(users, { fields: [comments.deletedBy], references: [users.id], relationName: "CommentDeleter" }),
}));

export const attachmentsRelations = relations(attachments, ({ one }) => ({
  organization: one(organizations, { fields: [attachments.organizationId], references: [organizations.id] }),
  issue: one(issues, { fields: [attachments.issueId], references: [issues.id] }),
}));

export const issueHistoryRelations = relations(issueHistory, ({ one }) => ({
  organization: one(organizations, { fields: [issueHistory.organizationId], references: [organizations.id] }),
  actor: one(users, { fields: [issueHistory.actorId], references: [users.id] }),
  issue: one(issues, { fields: [issueHistory.issueId], references: [issues.id] }),
}));

export const issueSubscribersRelations = relations(issueSubscribers, ({ one }) => ({
  organization: one(organizations, {
    fields: [issueSubscribers.organizationId],
    references: [organizations.id],
  }),
  issue: one(issues, { fields: [issueSubscribers.issueId], references: [issues.id] }),
}));

export const issueMergesRelations = relations(issueMerges, ({ one }) => ({
  organization: one(organizations, { fields: [issueMerges.organizationId], references: [organizations.id] }),
  source: one(issues, { fields: [issueMerges.sourceIssueId], references: [issues.id], relationName: "MergeSource" }),
  target: one(issues, { fields: [issueMerges.targetIssueId], references: [issues.id], relationName: "MergeTarget" }),
}));

export const upvotesRelations = relations(upvotes, ({ one }) => ({
  issue: one(issues, { fields: [upvotes.issueId], references: [issues.id] }),
  user: one(users, { fields: [upvotes.userId], references: [users.id] }),
}));

// --- collections, notifications, pinball map -------------------------------------------------------------------

export const collectionTypesRelations = relations(collectionTypes, ({ one, many }) => ({
  organization: one(organizations, { fields: [collectionTypes.organizationId], references: [organizations.id] }),
  collections: many(collections),
}));

export const collectionsRelations = relations(collections, ({ one, many }) => ({
  type: one(collectionTypes, { fields: [collections.typeId], references: [collectionTypes.id] }),
  location: one(locations, { fields: [collections.locationId], references: [locations.id] }),
  collectionMachines: many(collectionMachines),
}));

export const collectionMachinesRelations = relations(collectionMachines, ({ one }) => ({
  collection: one(collections, { fields: [collectionMachines.collectionId], references: [collections.id] }),
  machine: one(machines, { fields: [collectionMachines.machineId], references: [machines.id] }),
}));

export const notificationsRelations = relations(notifications, ({ one }) => ({
  user: one(users, { fields: [notifications.userId], references: [users.id] }),
  organization: one(organizations, { fields: [notifications.organizationId], references: [organizations.id] }),
}));

export const pinballMapConfigsRelations = relations(pinballMapConfigs, ({ one }) => ({
  organization: one(organizations, { fields: [pinballMapConfigs.organizationId], references: [organizations.id] }),
}));

// --- mail --------------------------------------------------------------------------------------------------------

export const mailOutboxRelations = relations(mailOutbox, ({ one }) => ({
  organization: one(organizations, { fields: [mailOutbox.organizationId], references: [organizations.id] }),
}));

export const passwordResetTokensRelations = relations(passwordResetTokens, ({ one }) => ({
  user: one(users, { fields: [passwordResetTokens.userId], references: [users.id] }),
}));

// --- floor: presence history, maintenance log, watchers ----------------------------------------------------------

export const machinePresenceChangesRelations = relations(machinePresenceChanges, ({ one }) => ({
  organization: one(organizations, {
    fields: [machinePresenceChanges.organizationId],
    references: [organizations.id],
  }),
  machine: one(machines, { fields: [machinePresenceChanges.machineId], references: [machines.id] }),
  actor: one(users, { fields: [machinePresenceChanges.actorId], references: [users.id] }),
}));

export const maintenanceNotesRelations = relations(maintenanceNotes, ({ one, many }) => ({
  organization: one(organizations, { fields: [maintenanceNotes.organizationId], references: [organizations.id] }),
  machine: one(machines, { fields: [maintenanceNotes.machineId], references: [machines.id] }),
  issue: one(issues, { fields: [maintenanceNotes.issueId], references: [issues.id] }),
  author: one(users, { fields: [maintenanceNotes.authorId], references: [users.id] }),
  photos: many(maintenancePhotos),
}));

export const maintenancePhotosRelations = relations(maintenancePhotos, ({ one }) => ({
  organization: one(organizations, { fields: [maintenancePhotos.organizationId], references: [organizations.id] }),
  note: one(maintenanceNotes, { fields: [maintenancePhotos.noteId], references: [maintenanceNotes.id] }),
}));

export const watchesRelations = relations(watches, ({ one }) => ({
  organization: one(organizations, { fields: [watches.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [watches.userId], references: [users.id] }),
  issue: one(issues, { fields: [watches.issueId], references: [issues.id] }),
  machine: one(machines, { fields: [watches.machineId], references: [machines.id] }),
}));
