/** Issues and everything hanging off them: Priority, IssueStatus, Comment, Attachment, IssueHistory, Upvote. */
import { randomBytes } from "node:crypto";
import { createId } from "@paralleldrive/cuid2";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { idColumn, timestamps, ts } from "./columns";
import { users } from "./auth";
import { machines } from "./machines";
import { organizationId } from "./organizations";

export const statusCategoryEnum = pgEnum("StatusCategory", ["NEW", "IN_PROGRESS", "RESOLVED"]);

export const activityTypeEnum = pgEnum("ActivityType", [
  "CREATED", // issue created
  "STATUS_CHANGED", // status updated
  "ASSIGNED", // assignee changed
  "PRIORITY_CHANGED", // priority updated
  "COMMENTED", // comment added
  "COMMENT_DELETED", // comment deleted
  "ATTACHMENT_ADDED", // file attached
  "MERGED", // issue merged (planned)
  "RESOLVED", // issue resolved
  "REOPENED", // issue reopened
  "SYSTEM", // system-generated / generic field change
]);

/**
 * The full-text search document of an issue. The GIN index below is built on exactly this expression; a query must
 * repeat it verbatim (`to_tsvector('english', title || ' ' || coalesce(description, '')) @@ websearch_to_tsquery(...)`)
 * for the planner to use the index.
 */
export const ISSUE_SEARCH_DOCUMENT = `to_tsvector('english', "title" || ' ' || coalesce("description", ''))`;

/** What an anonymous reporter left (name, address), as one text: the trigram index below is built on it. */
export const ISSUE_SUBMITTER_DOCUMENT = `(coalesce("submitterName", '') || ' ' || coalesce("reporterEmail", ''))`;

export const priorities = pgTable(
  "Priority",
  {
    id: idColumn(),
    name: text("name").notNull(),
    /** Severity rank: higher = more severe. */
    order: integer("order").notNull(),
    organizationId: organizationId(),
    isDefault: boolean("isDefault").notNull().default(false),
    /** Display order chosen by admins. */
    sortOrder: integer("sortOrder").notNull().default(0),
  },
  (t) => [
    // name uniqueness per org, seed/bootstrap upsert by name
    uniqueIndex("Priority_name_organizationId_key").on(t.name, t.organizationId),
    // issue create: THE default priority of an org (at most one)
    uniqueIndex("Priority_organizationId_default_key")
      .on(t.organizationId)
      .where(sql`"isDefault" = true`),
    // priority list of an organization
    index("Priority_organizationId_idx").on(t.organizationId),
  ],
);

export const issueStatuses = pgTable(
  "IssueStatus",
  {
    id: idColumn(),
    name: text("name").notNull(),
    category: statusCategoryEnum("category").notNull(),
    organizationId: organizationId(),
    isDefault: boolean("isDefault").notNull().default(false),
    /** Display order chosen by admins. */
    sortOrder: integer("sortOrder").notNull().default(0),
  },
  (t) => [
    // name uniqueness per org, seed/bootstrap upsert by name
    uniqueIndex("IssueStatus_name_organizationId_key").on(t.name, t.organizationId),
    // issue create: THE default status of an org (at most one)
    uniqueIndex("IssueStatus_organizationId_default_key")
      .on(t.organizationId)
      .where(sql`"isDefault" = true`),
    // status picker / status list of an organization
    index("IssueStatus_organizationId_idx").on(t.organizationId),
  ],
);

export interface ChecklistItem {
  text: string;
  completed: boolean;
}

export const issues = pgTable(
  "Issue",
  {
    id: idColumn(),
    title: text("title").notNull(),
    description: text("description"),
    /** Free text: "Always", "Every game", "Occasionally", … */
    consistency: text("consistency"),
    checklist: jsonb("checklist").$type<ChecklistItem[]>(),
    ...timestamps(),
    /** Set when the issue enters a RESOLVED-category status, cleared when it leaves. */
    resolvedAt: ts("resolvedAt"),
    reporterEmail: text("reporterEmail"),
    submitterName: text("submitterName"),
    organizationId: organizationId(),
    machineId: text("machineId")
      .notNull()
      .references(() => machines.id, { onDelete: "restrict", onUpdate: "cascade" }),
    statusId: text("statusId")
      .notNull()
      .references(() => issueStatuses.id, { onDelete: "restrict", onUpdate: "cascade" }),
    priorityId: text("priorityId")
      .notNull()
      .references(() => priorities.id, { onDelete: "restrict", onUpdate: "cascade" }),
    /** null = anonymous report. */
    createdById: text("createdById").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    assignedToId: text("assignedToId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    /** Secret for /follow/<token>: an anonymous reporter follows the report without learning the issue id. */
    followToken: text("followToken").notNull().$defaultFn(createId),
    /** Set while this issue is merged into another as its duplicate (IssueMerge has the details). */
    mergedIntoId: text("mergedIntoId").references((): AnyPgColumn => issues.id, {
      onDelete: "set null",
      onUpdate: "cascade",
    }),
  },
  (t) => [
    // /follow/<token>
    uniqueIndex("Issue_followToken_key").on(t.followToken),
    // issue list filtered by status, counts per status category (read from this small index alone: few distinct
    // values, so btree deduplication keeps it a tenth of the size of the one below), status-delete guard
    index("Issue_organizationId_statusId_idx").on(t.organizationId, t.statusId),
    // open issues per machine and per location (home page, machine list: openIssueStatsSubquery in
    // db/queries/machines.server.ts, listLocationsWithCounts): read from this index alone, for the open statuses only
    index("Issue_organizationId_statusId_machineId_priorityId_idx").on(
      t.organizationId,
      t.statusId,
      t.machineId,
      t.priorityId,
    ),
    // machine page: issues of a machine
    index("Issue_organizationId_machineId_idx").on(t.organizationId, t.machineId),
    // "my assigned issues", assignee filter; the assignee first so that deleting a user finds their issues (set null)
    index("Issue_assignedToId_organizationId_idx").on(t.assignedToId, t.organizationId),
    // issue list sorted by creation (the default): newest first within an org; dashboards "recent issues"
    index("Issue_organizationId_createdAt_idx").on(t.organizationId, t.createdAt),
    // issue list sorted by last update
    index("Issue_organizationId_updatedAt_idx").on(t.organizationId, t.updatedAt),
    // issue list sorted by priority: one page per priority, in id order (listIssues' lateral query); priority filter
    // and priority-delete guard
    index("Issue_organizationId_priorityId_id_idx").on(t.organizationId, t.priorityId, t.id),
    // "issues I reported", user deletion (set null)
    index("Issue_createdById_idx").on(t.createdById),
    // issue search box: full-text match on title + description
    index("Issue_search_idx").using("gin", sql.raw(ISSUE_SEARCH_DOCUMENT)),
    // deleting an issue (set null) and "what is merged into this one"; only merged duplicates have one
    index("Issue_mergedIntoId_idx")
      .on(t.mergedIntoId)
      .where(sql`"mergedIntoId" is not null`),
    // search that forgives typos (word similarity on the title, pg_trgm) and the duplicate guard of the report form:
    // docs/decisions/038-trigram-search-and-duplicate-guard.md
    index("Issue_title_trgm_idx").using("gin", sql.raw(`"title" gin_trgm_ops`)),
    // members' search by the name or address an anonymous reporter left
    index("Issue_submitter_trgm_idx").using("gin", sql.raw(`${ISSUE_SUBMITTER_DOCUMENT} gin_trgm_ops`)),
  ],
);

export const comments = pgTable(
  "Comment",
  {
    id: idColumn(),
    content: text("content").notNull(),
    ...timestamps(),
    /** Soft-delete marker. */
    deletedAt: ts("deletedAt"),
    /** Who soft-deleted it. */
    deletedBy: text("deletedBy").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    issueId: text("issueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    authorId: text("authorId")
      .notNull()
      .references(() => users.id, { onDelete: "restrict", onUpdate: "cascade" }),
  },
  (t) => [
    // issue page: comments of an issue in order
    index("Comment_issueId_createdAt_idx").on(t.issueId, t.createdAt),
    // comments by a user, user-delete guard (restrict)
    index("Comment_authorId_idx").on(t.authorId),
    // user deletion (set null); only deleted comments have a deleter
    index("Comment_deletedBy_idx")
      .on(t.deletedBy)
      .where(sql`"deletedBy" is not null`),
  ],
);

export const attachments = pgTable(
  "Attachment",
  {
    id: idColumn(),
    url: text("url").notNull(),
    fileName: text("fileName").notNull(),
    fileType: text("fileType").notNull(),
    // Storage key of the small square preview (app/lib/uploads.server.ts); null for photos stored before previews.
    thumbnailUrl: text("thumbnailUrl"),
    createdAt: ts("createdAt").notNull().defaultNow(),
    organizationId: organizationId(),
    issueId: text("issueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
  },
  (t) => [
    // issue page: attachments of an issue; 3-per-issue limit count
    index("Attachment_issueId_idx").on(t.issueId),
    // tenant-scoped attachment lookups / cleanup
    index("Attachment_organizationId_idx").on(t.organizationId),
  ],
);

export const issueHistory = pgTable(
  "IssueHistory",
  {
    id: idColumn(),
    /** "status", "assignee", "title", "description", "comment", or "". */
    field: text("field").notNull(),
    oldValue: text("oldValue"),
    newValue: text("newValue"),
    changedAt: ts("changedAt").notNull().defaultNow(),
    organizationId: organizationId(),
    /** null = system. */
    actorId: text("actorId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    type: activityTypeEnum("type").notNull(),
    issueId: text("issueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
  },
  (t) => [
    // issue timeline in order
    index("IssueHistory_issueId_changedAt_idx").on(t.issueId, t.changedAt),
    // organization-wide activity feed / cleanup
    index("IssueHistory_organizationId_idx").on(t.organizationId),
    // user deletion (set null)
    index("IssueHistory_actorId_idx").on(t.actorId),
  ],
);

export const upvotes = pgTable(
  "Upvote",
  {
    id: idColumn(),
    createdAt: ts("createdAt").notNull().defaultNow(),
    issueId: text("issueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    /** The signed-in voter; null for an anonymous "me too". */
    userId: text("userId").references(() => users.id, { onDelete: "restrict", onUpdate: "cascade" }),
    /** Anonymous voter: random id from a signed cookie, so one browser counts once. */
    voterKey: text("voterKey"),
    /** Anonymous voter: keyed SHA-256 of the client's address (never the address), to cap votes per address per day. */
    addressHash: text("addressHash"),
  },
  (t) => [
    // one vote per signed-in user per issue
    uniqueIndex("Upvote_issueId_userId_key").on(t.issueId, t.userId),
    // one vote per anonymous browser per issue
    uniqueIndex("Upvote_issueId_voterKey_key").on(t.issueId, t.voterKey),
    // vote count of an issue
    index("Upvote_issueId_idx").on(t.issueId),
    // anonymous votes for an issue from one address in the last day (addMeToo, app/use-cases/reports.server.ts)
    index("Upvote_issueId_addressHash_createdAt_idx").on(t.issueId, t.addressHash, t.createdAt),
    // user-delete guard (restrict); most votes are anonymous, without a user
    index("Upvote_userId_idx")
      .on(t.userId)
      .where(sql`"userId" is not null`),
    check("Upvote_voter_check", sql`num_nonnulls("userId", "voterKey") = 1`),
  ],
);

/**
 * People told by e-mail when an issue is closed: the anonymous reporter who left an address, and "me too" voters who
 * left one (app/use-cases/subscriptions.server.ts). Never shown on public pages. `token` is the capability of
 * /unsubscribe/<token> (it only turns these messages off).
 */
export const issueSubscribers = pgTable(
  "IssueSubscriber",
  {
    id: idColumn(),
    organizationId: organizationId(),
    issueId: text("issueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    email: text("email").notNull(),
    token: text("token")
      .notNull()
      .$defaultFn(() => randomBytes(32).toString("base64url")),
    createdAt: ts("createdAt").notNull().defaultNow(),
    unsubscribedAt: ts("unsubscribedAt"),
  },
  (t) => [
    uniqueIndex("IssueSubscriber_issueId_email_key").on(t.issueId, t.email),
    uniqueIndex("IssueSubscriber_token_key").on(t.token),
    index("IssueSubscriber_organizationId_idx").on(t.organizationId),
  ],
);

/**
 * One merge of a duplicate (source) into another issue (target) of the organization, and exactly what it moved, so
 * that an unmerge can put back those rows and no others (app/use-cases/issue-merge.server.ts). `undoneAt` is set by
 * the unmerge; at most one merge of a source is in force at a time.
 */
export const issueMerges = pgTable(
  "IssueMerge",
  {
    id: idColumn(),
    organizationId: organizationId(),
    sourceIssueId: text("sourceIssueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    targetIssueId: text("targetIssueId")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    /** The source's status before it was closed as a duplicate; null when that status was removed since. */
    previousStatusId: text("previousStatusId").references(() => issueStatuses.id, {
      onDelete: "set null",
      onUpdate: "cascade",
    }),
    previousResolvedAt: ts("previousResolvedAt"),
    /** Upvote ids moved from the source to the target (votes the target already had from the same voter stay). */
    movedUpvoteIds: jsonb("movedUpvoteIds").$type<string[]>().notNull().default([]),
    /** IssueSubscriber ids moved likewise (addresses the target already had stay on the source). */
    movedSubscriberIds: jsonb("movedSubscriberIds").$type<string[]>().notNull().default([]),
    mergedById: text("mergedById").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    mergedAt: ts("mergedAt").notNull().defaultNow(),
    undoneById: text("undoneById").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    undoneAt: ts("undoneAt"),
  },
  (t) => [
    // one merge in force per duplicate: two concurrent merges of the same issue cannot both commit
    uniqueIndex("IssueMerge_sourceIssueId_active_key")
      .on(t.sourceIssueId)
      .where(sql`"undoneAt" is null`),
    // the target's page: what was merged into it
    index("IssueMerge_targetIssueId_idx").on(t.targetIssueId),
    index("IssueMerge_organizationId_idx").on(t.organizationId),
    // user deletion (set null)
    index("IssueMerge_mergedById_idx")
      .on(t.mergedById)
      .where(sql`"mergedById" is not null`),
    index("IssueMerge_undoneById_idx")
      .on(t.undoneById)
      .where(sql`"undoneById" is not null`),
    index("IssueMerge_previousStatusId_idx")
      .on(t.previousStatusId)
      .where(sql`"previousStatusId" is not null`),
  ],
);

export type IssueMerge = typeof issueMerges.$inferSelect;
export type Priority = typeof priorities.$inferSelect;
export type NewPriority = typeof priorities.$inferInsert;
export type IssueStatus = typeof issueStatuses.$inferSelect;
export type NewIssueStatus = typeof issueStatuses.$inferInsert;
export type Issue = typeof issues.$inferSelect;
export type NewIssue = typeof issues.$inferInsert;
export type Comment = typeof comments.$inferSelect;
export type NewComment = typeof comments.$inferInsert;
export type Attachment = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;
export type IssueHistoryEntry = typeof issueHistory.$inferSelect;
export type NewIssueHistoryEntry = typeof issueHistory.$inferInsert;
export type Upvote = typeof upvotes.$inferSelect;
export type NewUpvote = typeof upvotes.$inferInsert;
export type StatusCategory = (typeof statusCategoryEnum.enumValues)[number];
export type ActivityType = (typeof activityTypeEnum.enumValues)[number];
