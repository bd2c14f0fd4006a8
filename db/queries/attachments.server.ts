/**
 * Issue attachments (photos). Files live in upload storage (app/lib/uploads.server.ts); Attachment.url holds the
 * storage key. The statements only: app/use-cases/attachments.server.ts checks ATTACHMENTS_PER_ISSUE under the issue's
 * row lock and writes the history rows in the same transaction. The issue page reads its photos with the issue
 * (./issue-page.server.ts).
 */
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { attachments, issues } from "../schema";

export const ATTACHMENTS_PER_ISSUE = ISSUE_LIMITS.attachmentsPerIssue;

export interface AttachmentItem {
  id: string;
  fileName: string;
  fileType: string;
  createdAt: Date;
}

export async function countAttachments(db: DbOrTx, organizationId: string, issueId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(attachments)
    .where(and(eq(attachments.issueId, issueId), eq(attachments.organizationId, organizationId)));
  return Number(row?.n ?? 0);
}

/** Records an already stored file on an issue of the organization; returns the attachment id. */
export async function insertAttachmentRow(
  db: DbOrTx,
  input: {
    organizationId: string;
    issueId: string;
    file: { url: string; thumbnailUrl: string | null; fileName: string; fileType: string };
    now: Date;
  },
): Promise<string> {
  const [row] = await db
    .insert(attachments)
    .values({
      organizationId: input.organizationId,
      issueId: input.issueId,
      url: input.file.url,
      thumbnailUrl: input.file.thumbnailUrl,
      fileName: input.file.fileName,
      fileType: input.file.fileType,
      createdAt: input.now,
    })
    .returning({ id: attachments.id });
  return row.id;
}

/** Deletes one attachment of the issue; returns its storage keys and name (null when there is none). */
export async function deleteAttachmentRow(db: DbOrTx, organizationId: string, issueId: string, attachmentId: string) {
  const [row] = await db
    .delete(attachments)
    .where(
      and(
        eq(attachments.id, attachmentId),
        eq(attachments.issueId, issueId),
        eq(attachments.organizationId, organizationId),
      ),
    )
    .returning({ url: attachments.url, thumbnailUrl: attachments.thumbnailUrl, fileName: attachments.fileName });
  return row ?? null;
}

/** The stored file of an attachment in the organization (for the download route). */
export async function findAttachmentFile(db: DbOrTx, organizationId: string, attachmentId: string) {
  const [row] = await db
    .select({
      id: attachments.id,
      url: attachments.url,
      thumbnailUrl: attachments.thumbnailUrl,
      fileName: attachments.fileName,
      fileType: attachments.fileType,
    })
    .from(attachments)
    .innerJoin(issues, eq(issues.id, attachments.issueId))
    .where(
      and(
        eq(attachments.id, attachmentId),
        eq(attachments.organizationId, organizationId),
        eq(issues.organizationId, organizationId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Photos stored as sent, before re-encoding gave every photo a preview (`npm run photos:reencode`). */
export async function listPhotosWithoutPreview(
  db: DbOrTx,
  organizationId: string,
): Promise<{ id: string; url: string; fileName: string }[]> {
  return db
    .select({ id: attachments.id, url: attachments.url, fileName: attachments.fileName })
    .from(attachments)
    .where(and(eq(attachments.organizationId, organizationId), isNull(attachments.thumbnailUrl)))
    .orderBy(asc(attachments.id));
}

/**
 * Points an attachment at its re-encoded file, if it still points at `previousUrl` (not deleted or replaced in the
 * meantime); true when the row was changed.
 */
export async function replaceAttachmentFile(
  db: DbOrTx,
  organizationId: string,
  id: string,
  previousUrl: string,
  file: { url: string; thumbnailUrl: string; fileName: string; fileType: string },
): Promise<boolean> {
  const rows = await db
    .update(attachments)
    .set(file)
    .where(
      and(eq(attachments.id, id), eq(attachments.organizationId, organizationId), eq(attachments.url, previousUrl)),
    )
    .returning({ id: attachments.id });
  return rows.length > 0;
}
