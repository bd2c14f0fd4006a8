/**
 * Issue attachments (photos). Files live in upload storage (app/lib/uploads.server.ts); Attachment.url holds the
 * storage key. At most ATTACHMENTS_PER_ISSUE per issue, checked under the issue's row lock so two uploads cannot
 * both take the last place. Adding writes ATTACHMENT_ADDED, removing a SYSTEM row (field "attachment", old = name).
 */
import { and, asc, count, eq } from "drizzle-orm";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { attachments, issues } from "../schema";
import { lockIssue, writeIssueHistory, type Actor } from "./issues.server";

export const ATTACHMENTS_PER_ISSUE = ISSUE_LIMITS.attachmentsPerIssue;

export interface AttachmentItem {
  id: string;
  fileName: string;
  fileType: string;
  createdAt: Date;
}

export async function listAttachments(db: DbOrTx, organizationId: string, issueId: string): Promise<AttachmentItem[]> {
  return db
    .select({ id: attachments.id, fileName: attachments.fileName, fileType: attachments.fileType, createdAt: attachments.createdAt })
    .from(attachments)
    .where(and(eq(attachments.issueId, issueId), eq(attachments.organizationId, organizationId)))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

export async function countAttachments(db: DbOrTx, organizationId: string, issueId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(attachments)
    .where(and(eq(attachments.issueId, issueId), eq(attachments.organizationId, organizationId)));
  return Number(row?.n ?? 0);
}

export type AttachmentResult =
  | { ok: true; message: string; attachmentId?: string; removedKey?: string }
  | { ok: false; status: 400 | 404; field: string; message: string };

/** Records an already stored file on an issue (the caller deletes the file when this returns ok: false). */
export async function addAttachment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actor: Actor | null; file: { url: string; fileName: string; fileType: string }; now?: Date },
): Promise<AttachmentResult> {
  return withTransaction(db, async (tx) => {
    const issue = await lockIssue(tx, input.organizationId, input.issueId);
    if (!issue) return { ok: false, status: 404, field: "form", message: "That issue does not exist." } as const;
    const existing = await countAttachments(tx, input.organizationId, issue.id);
    if (existing >= ATTACHMENTS_PER_ISSUE) {
      return {
        ok: false,
        status: 400,
        field: "photo",
        message: `An issue can have at most ${ATTACHMENTS_PER_ISSUE} photos. Delete one first.`,
      } as const;
    }
    const now = input.now ?? new Date();
    const [row] = await tx
      .insert(attachments)
      .values({
        organizationId: input.organizationId,
        issueId: issue.id,
        url: input.file.url,
        fileName: input.file.fileName,
        fileType: input.file.fileType,
        createdAt: now,
      })
      .returning({ id: attachments.id });
    await tx.update(issues).set({ updatedAt: now }).where(and(eq(issues.id, issue.id), eq(issues.organizationId, input.organizationId)));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: issue.id,
      actorId: input.actor?.id ?? null,
      type: "ATTACHMENT_ADDED",
      field: "attachment",
      newValue: input.file.fileName,
      changedAt: now,
    });
    return { ok: true, message: "Photo added.", attachmentId: row.id } as const;
  });
}

/** Deletes the record; returns the storage key so the caller removes the file after the commit. */
export async function deleteAttachment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; attachmentId: string; actor: Actor; now?: Date },
): Promise<AttachmentResult> {
  return withTransaction(db, async (tx) => {
    const issue = await lockIssue(tx, input.organizationId, input.issueId);
    if (!issue) return { ok: false, status: 404, field: "form", message: "That issue does not exist." } as const;
    const [row] = await tx
      .delete(attachments)
      .where(
        and(
          eq(attachments.id, input.attachmentId),
          eq(attachments.issueId, issue.id),
          eq(attachments.organizationId, input.organizationId),
        ),
      )
      .returning({ url: attachments.url, fileName: attachments.fileName });
    if (!row) return { ok: false, status: 404, field: "form", message: "That photo does not exist." } as const;
    const now = input.now ?? new Date();
    await tx.update(issues).set({ updatedAt: now }).where(and(eq(issues.id, issue.id), eq(issues.organizationId, input.organizationId)));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: issue.id,
      actorId: input.actor.id,
      type: "SYSTEM",
      field: "attachment",
      oldValue: row.fileName,
      changedAt: now,
    });
    return { ok: true, message: "Photo deleted.", removedKey: row.url } as const;
  });
}

/** The stored file of an attachment in the organization (for the download route). */
export async function findAttachmentFile(db: DbOrTx, organizationId: string, attachmentId: string) {
  const [row] = await db
    .select({ id: attachments.id, url: attachments.url, fileName: attachments.fileName, fileType: attachments.fileType })
    .from(attachments)
    .innerJoin(issues, eq(issues.id, attachments.issueId))
    .where(and(eq(attachments.id, attachmentId), eq(attachments.organizationId, organizationId), eq(issues.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}
