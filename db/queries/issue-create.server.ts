/**
 * The statements of creating an issue (app/use-cases/issues.server.ts `reportIssue` runs them in one transaction):
 * the organization's default status and priority, the issue row, its history rows and its attachment rows. Each is
 * scoped by organizationId; none opens a transaction.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { attachments, issueHistory, issueStatuses, issues, priorities } from "../schema";

export interface NewIssueAttachment {
  /** Storage keys from saveImageUpload (`path`, `thumbnailPath`). */
  url: string;
  thumbnailUrl: string | null;
  fileName: string;
  fileType: string;
}

/** The default status; if an organization has none flagged, its first NEW-category status. Null when it has none. */
export async function findDefaultStatus(
  db: DbOrTx,
  organizationId: string,
): Promise<{ id: string; name: string } | null> {
  const [status] = await db
    .select({ id: issueStatuses.id, name: issueStatuses.name })
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, organizationId))
    .orderBy(
      desc(issueStatuses.isDefault),
      sql`(${issueStatuses.category} = 'NEW') desc`,
      asc(issueStatuses.sortOrder),
      asc(issueStatuses.name),
    )
    .limit(1);
  return status ?? null;
}

/** The given priority of this organization, or its default one when none is given; null when there is none. */
export async function findIssuePriority(
  db: DbOrTx,
  organizationId: string,
  priorityId: string | null,
): Promise<{ id: string } | null> {
  const [p] = priorityId
    ? await db
        .select({ id: priorities.id })
        .from(priorities)
        .where(and(eq(priorities.id, priorityId), eq(priorities.organizationId, organizationId)))
        .limit(1)
    : await db
        .select({ id: priorities.id })
        .from(priorities)
        .where(eq(priorities.organizationId, organizationId))
        .orderBy(desc(priorities.isDefault), asc(priorities.order))
        .limit(1);
  return p ?? null;
}

export async function insertIssue(
  db: DbOrTx,
  values: {
    organizationId: string;
    machineId: string;
    title: string;
    description: string | null;
    consistency: string | null;
    statusId: string;
    priorityId: string;
    createdById: string | null;
    submitterName: string | null;
    reporterEmail: string | null;
  },
): Promise<{ id: string; followToken: string }> {
  const [issue] = await db.insert(issues).values(values).returning({ id: issues.id, followToken: issues.followToken });
  return issue;
}

/** The CREATED history row of a new issue. */
export async function insertCreatedHistory(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actorId: string | null },
) {
  await db.insert(issueHistory).values({
    organizationId: input.organizationId,
    issueId: input.issueId,
    type: "CREATED",
    field: "status",
    oldValue: null,
    newValue: "created",
    actorId: input.actorId,
  });
}

/** Attachment rows of a new issue, each with its ATTACHMENT_ADDED history row. */
export async function insertIssueAttachments(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actorId: string | null; files: NewIssueAttachment[] },
) {
  if (!input.files.length) return;
  const { organizationId, issueId, actorId } = input;
  await db.insert(attachments).values(
    input.files.map((a) => ({
      organizationId,
      issueId,
      url: a.url,
      thumbnailUrl: a.thumbnailUrl,
      fileName: a.fileName,
      fileType: a.fileType,
    })),
  );
  await db.insert(issueHistory).values(
    input.files.map((a) => ({
      organizationId,
      issueId,
      type: "ATTACHMENT_ADDED" as const,
      field: "attachment",
      newValue: a.fileName,
      actorId,
    })),
  );
}
