/**
 * Issue photos: adding one (attachment:create, at most ISSUE_LIMITS.attachmentsPerIssue, checked again under the
 * issue's row lock so two uploads cannot both take the last place), deleting one (attachment:delete), and opening
 * the stored file (attachment:view, guests included when their role has it). Files live in upload storage
 * (app/lib/uploads.server.ts); a file whose record could not be written is removed again.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import {
  countAttachments,
  deleteAttachmentRow,
  findAttachmentFile,
  insertAttachmentRow,
} from "../../db/queries/attachments.server";
import { getIssueDetail, updateIssueRow, writeIssueHistory } from "../../db/queries/issues.server";
import { findMaintenancePhotoFile } from "../../db/queries/maintenance.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { isPlausibleId } from "../lib/ids";
import { ownValue } from "../lib/own";
import {
  IMAGE_TYPES,
  deleteStoredUpload,
  readStoredUpload,
  storeImageUpload,
  uploadBelongsTo,
} from "../lib/uploads.server";
import { requireMemberActor, type Actor } from "./actor";
import { changeBy, ISSUE_NOT_FOUND, lockedIssue } from "./issues.server";

const PER_ISSUE = ISSUE_LIMITS.attachmentsPerIssue;
const FULL = `An issue can have at most ${PER_ISSUE} photos. Delete one first.`;

export const attachmentRefInput = z.object({ attachmentId: fields.id });

/** Stores the photo of an issue form (`oversized`: the file was over the upload limit and was dropped). */
export async function addIssuePhoto(
  actor: Actor,
  issueId: string,
  upload: { file: unknown; oversized: boolean },
): Promise<string> {
  requireMemberActor(actor, "attachment:create");
  const { db, organizationId } = actor;
  if (upload.oversized) throw new Failure("too_large", "The photo is too large: at most 5 MB.", { field: "photo" });
  const file = upload.file;
  if (!(file instanceof File) || file.size === 0) throw fail.invalid("Choose a photo (JPEG, PNG or WebP).", "photo");
  // Check the limit (and that the issue exists here) before storing anything.
  if (!(await getIssueDetail(db, organizationId, issueId))) throw fail.notFound(ISSUE_NOT_FOUND);
  if ((await countAttachments(db, organizationId, issueId)) >= PER_ISSUE) throw fail.invalid(FULL, "photo");
  const stored = await storeImageUpload(file, { organizationId, field: "photo" });
  try {
    await withTransaction(db, async (tx) => {
      const issue = await lockedIssue(tx, actor, issueId);
      if ((await countAttachments(tx, organizationId, issue.id)) >= PER_ISSUE) throw fail.invalid(FULL, "photo");
      const now = new Date();
      await insertAttachmentRow(tx, {
        organizationId,
        issueId: issue.id,
        file: {
          url: stored.path,
          thumbnailUrl: stored.thumbnailPath,
          fileName: stored.fileName,
          fileType: stored.fileType,
        },
        now,
      });
      await updateIssueRow(tx, organizationId, issue.id, { updatedAt: now });
      await writeIssueHistory(tx, {
        ...changeBy(actor, issue.id, now),
        type: "ATTACHMENT_ADDED",
        field: "attachment",
        newValue: stored.fileName,
      });
    });
  } catch (error) {
    await deleteStoredUpload(stored.path, stored.thumbnailPath);
    throw error;
  }
  return "Photo added.";
}

/** Deletes the record (SYSTEM history, field "attachment", old = its name), then its file once that committed. */
export async function deleteIssuePhoto(actor: Actor, issueId: string, attachmentId: string): Promise<string> {
  requireMemberActor(actor, "attachment:delete");
  const { organizationId } = actor;
  const removed = await withTransaction(actor.db, async (tx) => {
    const issue = await lockedIssue(tx, actor, issueId);
    const row = await deleteAttachmentRow(tx, organizationId, issue.id, attachmentId);
    if (!row) throw fail.notFound("That photo does not exist.");
    const now = new Date();
    await updateIssueRow(tx, organizationId, issue.id, { updatedAt: now });
    await writeIssueHistory(tx, {
      ...changeBy(actor, issue.id, now),
      type: "SYSTEM",
      field: "attachment",
      oldValue: row.fileName,
    });
    return row;
  });
  await deleteStoredUpload(removed.url, removed.thumbnailUrl);
  return "Photo deleted.";
}

/**
 * The stored file of an attachment (`attachmentId` as it came in the URL) of the actor's organization, whose storage
 * key lives under the organization's folder; otherwise not found (indistinguishable from missing). `size:
 * "thumbnail"` asks for the square preview, which photos stored before previews existed do not have: they answer
 * with the photo itself. The type is detected from the bytes again: only JPEG, PNG and WebP count as images.
 */
export async function openAttachment(actor: Actor, attachmentId: string, size: "full" | "thumbnail" = "full") {
  if (!actor.can("attachment:view")) throw fail.forbidden("You do not have permission to see this file.");
  const plausible = isPlausibleId(attachmentId);
  // Photos of the maintenance log (./maintenance.server.ts) share this route; they are for members only.
  const attachment =
    (plausible ? await findAttachmentFile(actor.db, actor.organizationId, attachmentId) : null) ??
    (plausible && actor.membership
      ? await findMaintenancePhotoFile(actor.db, actor.organizationId, attachmentId)
      : null);
  const key = size === "thumbnail" ? (attachment?.thumbnailUrl ?? attachment?.url) : attachment?.url;
  if (!attachment || !key || !uploadBelongsTo(key, actor.organizationId))
    throw fail.notFound("We could not find that file.");
  const stored = await readStoredUpload(key);
  if (!stored) throw fail.notFound("The file is no longer available.");
  return { fileName: attachment.fileName, ...stored, image: ownValue(IMAGE_TYPES, stored.fileType) !== undefined };
}
