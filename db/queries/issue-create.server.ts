/**
 * Creating an issue, for every path (anonymous QR report, member report, future ingestion): the issue in the
 * organization's default status and default (or given) priority, its CREATED history row, optional attachments, and
 * the machine owner's ISSUE_CREATED notification, all in one transaction. Passed a transaction it runs as a
 * savepoint inside it; passed the database it opens its own. Any failure writes nothing.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { attachments, issueHistory, issueStatuses, issues, machines, priorities } from "../schema";
import { notifyIssueCreated } from "./notifications.server";

export type IssueReporter =
  /** A signed-in reporter (becomes Issue.createdById and the history actor). */
  | { userId: string }
  /** An anonymous reporter: optional display name and email, never shown publicly. */
  | { userId?: undefined; name?: string | null; email?: string | null };

export interface NewIssueAttachment {
  /** Storage key from saveImageUpload (`path`). */
  url: string;
  fileName: string;
  fileType: string;
}

export interface CreateIssueInput {
  organizationId: string;
  machineId: string;
  title: string;
  description?: string | null;
  reporter: IssueReporter;
  /** Defaults to the organization's default priority. Must belong to the organization. */
  priorityId?: string | null;
  consistency?: string | null;
  attachments?: NewIssueAttachment[];
}

export type IssueCreateErrorCode = "machine_not_found" | "priority_not_found" | "no_default_status" | "no_default_priority";

export class IssueCreateError extends Error {
  constructor(
    readonly code: IssueCreateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "IssueCreateError";
  }
}

export async function createIssue(db: DbOrTx, input: CreateIssueInput): Promise<{ id: string; followToken: string }> {
  const { organizationId } = input;
  return db.transaction(async (tx) => {
    const [machine] = await tx
      .select({ id: machines.id })
      .from(machines)
      .where(and(eq(machines.id, input.machineId), eq(machines.organizationId, organizationId)))
      .limit(1);
    if (!machine) throw new IssueCreateError("machine_not_found", "That machine was not found.");

    // The default status; if an organization has none flagged, its first NEW-category status.
    const [status] = await tx
      .select({ id: issueStatuses.id, name: issueStatuses.name })
      .from(issueStatuses)
      .where(eq(issueStatuses.organizationId, organizationId))
      .orderBy(desc(issueStatuses.isDefault), sql`(${issueStatuses.category} = 'NEW') desc`, asc(issueStatuses.sortOrder), asc(issueStatuses.name))
      .limit(1);
    if (!status) throw new IssueCreateError("no_default_status", "This organization has no issue statuses yet.");

    let priorityId: string;
    if (input.priorityId) {
      const [p] = await tx
        .select({ id: priorities.id })
        .from(priorities)
        .where(and(eq(priorities.id, input.priorityId), eq(priorities.organizationId, organizationId)))
        .limit(1);
      if (!p) throw new IssueCreateError("priority_not_found", "Choose a priority from the list.");
      priorityId = p.id;
    } else {
      const [p] = await tx
        .select({ id: priorities.id })
        .from(priorities)
        .where(eq(priorities.organizationId, organizationId))
        .orderBy(desc(priorities.isDefault), asc(priorities.order))
        .limit(1);
      if (!p) throw new IssueCreateError("no_default_priority", "This organization has no priorities yet.");
      priorityId = p.id;
    }

    const userId = input.reporter.userId ?? null;
    const anonymous = userId ? null : (input.reporter as { name?: string | null; email?: string | null });
    const [issue] = await tx
      .insert(issues)
      .values({
        organizationId,
        machineId: machine.id,
        title: input.title,
        description: input.description || null,
        consistency: input.consistency || null,
        statusId: status.id,
        priorityId,
        createdById: userId,
        submitterName: anonymous?.name || null,
        reporterEmail: anonymous?.email || null,
      })
      .returning({ id: issues.id, followToken: issues.followToken });

    await tx.insert(issueHistory).values({
      organizationId,
      issueId: issue.id,
      type: "CREATED",
      field: "status",
      oldValue: null,
      newValue: "created",
      actorId: userId,
    });

    if (input.attachments?.length) {
      await tx.insert(attachments).values(
        input.attachments.map((a) => ({ organizationId, issueId: issue.id, url: a.url, fileName: a.fileName, fileType: a.fileType })),
      );
      await tx.insert(issueHistory).values(
        input.attachments.map((a) => ({
          organizationId,
          issueId: issue.id,
          type: "ATTACHMENT_ADDED" as const,
          field: "attachment",
          newValue: a.fileName,
          actorId: userId,
        })),
      );
    }

    // The owner notification, with the shared rules (never the actor, only current members, per the toggles).
    await notifyIssueCreated(tx as unknown as DbOrTx, { organizationId, issueId: issue.id, actorId: userId });
    return { id: issue.id, followToken: issue.followToken };
  });
}
