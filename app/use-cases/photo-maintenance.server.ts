/**
 * `npm run photos:reencode` (scripts/photos-reencode.ts): photos stored before uploads were re-encoded
 * (docs/decisions/029-photos-reencoded-with-sharp.md) are kept as sent, EXIF with any GPS position included, at full
 * size and without a preview. This re-encodes each of them as new uploads are (`reencodePhoto`: upright, no
 * metadata, capped size, WebP, with a preview), points the attachment at the new files, then deletes the original.
 * An operator command over every organization, so no actor: who may run it is who may run the server.
 * Safe to run again: a photo with a preview is done; one whose attachment was deleted or replaced meanwhile keeps
 * its row untouched and the new files are removed again.
 */
import type { Db } from "../lib/db.server";
import { listPhotosWithoutPreview, replaceAttachmentFile } from "../../db/queries/attachments.server";
import { listOrganizationIds } from "../../db/queries/organizations.server";
import { objectStorage } from "../lib/storage.server";
import {
  IMAGE_TYPES,
  PHOTO_TYPE,
  UploadError,
  deleteStoredUpload,
  safeFileName,
  saveImageUpload,
  uploadBelongsTo,
} from "../lib/uploads.server";

export interface ReencodeCounts {
  reencoded: number;
  missing: number;
  unreadable: number;
  skipped: number;
}

async function readAll(key: string): Promise<Buffer | null> {
  const stored = await objectStorage().get(key);
  if (!stored) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stored.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function reencodeStoredPhotos(db: Db, log: (line: string) => void = () => {}): Promise<ReencodeCounts> {
  const counts: ReencodeCounts = { reencoded: 0, missing: 0, unreadable: 0, skipped: 0 };
  for (const organizationId of await listOrganizationIds(db)) {
    for (const photo of await listPhotosWithoutPreview(db, organizationId)) {
      // Only the organization's own keys: the storage helpers refuse anything else.
      if (!uploadBelongsTo(photo.url, organizationId)) {
        counts.skipped += 1;
        log(`skipped ${photo.id}: its file ${photo.url} is not in the organization's folder`);
        continue;
      }
      const bytes = await readAll(photo.url).catch(() => null);
      if (!bytes) {
        counts.missing += 1;
        log(`missing ${photo.url} (attachment ${photo.id})`);
        continue;
      }
      let saved;
      try {
        saved = await saveImageUpload(
          {
            bytes,
            fileType: PHOTO_TYPE,
            extension: IMAGE_TYPES[PHOTO_TYPE],
            fileName: safeFileName(photo.fileName, IMAGE_TYPES[PHOTO_TYPE]),
          },
          { organizationId },
        );
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        counts.unreadable += 1;
        log(`unreadable ${photo.url} (attachment ${photo.id}): ${error.message}`);
        continue;
      }
      const changed = await replaceAttachmentFile(db, organizationId, photo.id, photo.url, {
        url: saved.path,
        thumbnailUrl: saved.thumbnailPath,
        fileName: saved.fileName,
        fileType: saved.fileType,
      });
      if (!changed) {
        await deleteStoredUpload(saved.path, saved.thumbnailPath);
        counts.skipped += 1;
        continue;
      }
      await deleteStoredUpload(photo.url);
      counts.reencoded += 1;
    }
  }
  return counts;
}
