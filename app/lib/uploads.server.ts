/**
 * File uploads, kept generic so every feature (public report photos, issue attachments) shares one set of rules.
 *
 * - `readUploadForm(request, limits)` parses a form (multipart or urlencoded) with bounded memory: the whole body is
 *   capped (413), each text field is capped, a file over the file limit is drained and reported in `oversized`
 *   (so the form can show a field error and keep the other values) instead of being held in memory.
 * - `checkImageUpload(file)` validates an image by its CONTENT (magic bytes, via `file-type`), never by name or the
 *   browser's claimed type: JPEG, PNG or WebP, at most 5 MB.
 * - `saveImageUpload(file, { organizationId })` re-encodes it (`reencodePhoto`: upright, metadata such as the GPS
 *   position dropped, at most PHOTO_LIMITS.longSide pixels, WebP, plus a small square preview; the sent file itself
 *   is never stored) and writes both to the object storage (app/lib/storage.server.ts: UPLOAD_DIR, default
 *   ./data/uploads, or an S3 bucket when S3_BUCKET is set) as `<organizationId>/<yyyy-mm>/<random>.webp` and
 *   `…/<random>-thumb.webp`. It returns the storage keys (`path` and `thumbnailPath`, stored in Attachment.url and
 *   .thumbnailUrl), a safe display `fileName` and the `fileType` (image/webp).
 *   docs/decisions/029-photos-reencoded-with-sharp.md.
 * - `readStoredUpload(path)` / `deleteStoredUpload(path)` for serving (as a stream) and cleanup (a failed transaction
 *   must delete the file it just saved). Keys are checked so they can never point outside their organization's
 *   folder of the storage.
 *
 * Serving files to permitted users is the caller's job (check attachment:view and the organization first).
 * Member pages and use cases see refusals as Failure (`readUploadFormObject`, `storeImageUpload`, `uploadFailure`).
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import { Failure } from "../../core/failure";
import { NUL_MESSAGE, hasNulValue } from "./forms.server";
import { ownValue } from "./own";
import { objectStorage } from "./storage.server";

export { uploadDir } from "./storage.server";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Body cap for forms that carry one image: the image plus generous room for the text fields. */
export const MAX_UPLOAD_BODY_BYTES = 6 * 1024 * 1024;
export const MAX_FIELD_BYTES = 64 * 1024;

/**
 * What a stored photo becomes: its longer side at most `longSide` pixels (never enlarged), a `thumbnailSide` square
 * preview cropped from its middle, both WebP. Images over `maxInputPixels` (width × height, read from the header
 * before anything is decoded) are refused: a few kilobytes of PNG can declare gigabytes of pixels.
 */
export const PHOTO_LIMITS = {
  longSide: 2048,
  thumbnailSide: 320,
  maxInputPixels: 50_000_000,
  quality: 80,
  thumbnailQuality: 70,
} as const;
export const PHOTO_TYPE = "image/webp";
const PHOTO_EXTENSION = "webp";

// Every upload is decoded once; libvips' operation cache would only keep their pixels in memory.
sharp.cache(false);

export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};

/** A user-facing refusal: `status` 400 (bad file) or 413 (too large); `field` names the form field when known. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a form with bounded memory

export interface UploadFormLimits {
  maxBodyBytes?: number;
  maxFileBytes?: number;
  maxFieldBytes?: number;
}

export interface UploadForm {
  form: FormData;
  /** Names of file fields whose file was larger than maxFileBytes (the file itself was discarded). */
  oversized: Set<string>;
}

/** A body stream that errors once more than `max` bytes have passed. */
function cappedStream(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) controller.error(new UploadError(`The form is too large (over ${formatMb(max)}).`, 413));
        else controller.enqueue(chunk);
      },
    }),
  );
}

function findUploadError(error: unknown): UploadError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof UploadError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Reads a POST body as form data. Throws UploadError: 413 when the body or a text field is over its limit, 400 when
 * the body cannot be parsed. Files over `maxFileBytes` are not kept; their field names are listed in `oversized`.
 */
export async function readUploadForm(request: Request, limits: UploadFormLimits = {}): Promise<UploadForm> {
  const maxBody = limits.maxBodyBytes ?? MAX_UPLOAD_BODY_BYTES;
  const maxFile = limits.maxFileBytes ?? MAX_IMAGE_BYTES;
  const maxField = limits.maxFieldBytes ?? MAX_FIELD_BYTES;
  const tooLarge = `The form is too large. Photos can be at most ${formatMb(maxFile)}.`;

  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBody) throw new UploadError(tooLarge, 413);
  if (!request.body) return { form: new FormData(), oversized: new Set() };

  const capped = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: cappedStream(request.body, maxBody),
    // Required by undici for streamed bodies.
    duplex: "half",
  } as RequestInit);

  const contentType = request.headers.get("content-type") ?? "";
  const oversized = new Set<string>();
  try {
    if (!/^multipart\/form-data/i.test(contentType)) {
      const form = await capped.formData();
      if (hasNulValue(form)) throw new UploadError(NUL_MESSAGE, 400);
      return { form, oversized };
    }
    const handler: UploadHandler = async ({ name, filename, contentType: partType, data }) => {
      const isFile = typeof filename === "string";
      const limit = isFile ? maxFile : maxField;
      const chunks: Uint8Array[] = [];
      let size = 0;
      let over = false;
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > limit) over = true;
        if (!over) chunks.push(chunk);
        // Keep reading (and dropping) the rest of an oversized file so the following fields still parse.
      }
      if (over) {
        if (!isFile) throw new UploadError(`The field "${name.slice(0, 40)}" is too long.`, 413, name);
        oversized.add(name);
        return undefined;
      }
      if (isFile) {
        // An empty file input still sends a part with no name and no content: treat it as "no file".
        if (!filename && size === 0) return undefined;
        return new File(chunks as unknown as BlobPart[], filename ?? "upload", {
          type: partType || "application/octet-stream",
        });
      }
      return Buffer.concat(chunks).toString("utf8");
    };
    const form = await unstable_parseMultipartFormData(capped, handler);
    if (hasNulValue(form)) throw new UploadError(NUL_MESSAGE, 400);
    return { form, oversized };
  } catch (error) {
    const known = findUploadError(error);
    if (known) throw known;
    throw new UploadError("The form could not be read. Please submit it again.", 400);
  }
}

/** A refusal as the application's Failure: too_large (413) or invalid (400), on its field (default `photo`). */
export function uploadFailure(error: UploadError, field = "photo"): Failure {
  return new Failure(error.status === 413 ? "too_large" : "invalid", error.message, { field: error.field ?? field });
}

// ---------------------------------------------------------------------------------------------------------------
// Images

export interface CheckedImage {
  bytes: Buffer;
  fileType: string;
  extension: string;
  fileName: string;
}

/** A display name without directories, control characters or markup, at most 100 characters, with the real extension. */
export function safeFileName(original: string | undefined, extension: string): string {
  const base = (original ?? "")
    .split(/[/\\]/)
    .pop()!
    .replace(/[\p{Cc}<>:"|?*]/gu, "")
    .trim()
    .replace(/\.[A-Za-z0-9]{1,8}$/, "");
  const stem = (base || "photo").slice(0, 90);
  return `${stem}.${extension}`;
}

/**
 * Validates an uploaded image by content and size; throws UploadError (field `field`) when it is not acceptable.
 * `fileName` already carries the extension of the stored photo (.webp, see saveImageUpload).
 */
export async function checkImageUpload(
  file: File,
  opts: { field?: string; maxBytes?: number } = {},
): Promise<CheckedImage> {
  const max = opts.maxBytes ?? MAX_IMAGE_BYTES;
  if (file.size > max) throw new UploadError(`The photo is too large: at most ${formatMb(max)}.`, 413, opts.field);
  if (file.size === 0) throw new UploadError("The photo is empty. Choose a JPEG, PNG or WebP image.", 400, opts.field);
  const bytes = Buffer.from(await file.arrayBuffer());
  const detected = await fileTypeFromBuffer(bytes);
  const extension = detected ? ownValue(IMAGE_TYPES, detected.mime) : undefined;
  if (!detected || !extension) {
    throw new UploadError("That file is not a photo we can accept. Use a JPEG, PNG or WebP image.", 400, opts.field);
  }
  return { bytes, fileType: detected.mime, extension, fileName: safeFileName(file.name, PHOTO_EXTENSION) };
}

export interface StoredUpload {
  /** Storage key relative to UPLOAD_DIR, with forward slashes (store this, e.g. in Attachment.url). */
  path: string;
  /** Storage key of the square preview (Attachment.thumbnailUrl). */
  thumbnailPath: string;
  fileName: string;
  fileType: string;
  size: number;
}

export interface ReencodedPhoto {
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

const UNREADABLE = "We could not read that photo: the file may be damaged. Try another JPEG, PNG or WebP image.";

/**
 * Decodes an image (already checked by checkImageUpload) and encodes it again as described at PHOTO_LIMITS: turned
 * upright by its EXIF orientation, its metadata (EXIF with any GPS position, XMP, IPTC, the ICC profile after
 * conversion to sRGB) left behind, since sharp writes none unless asked. Damaged or oversized images throw
 * UploadError (400), never anything else.
 */
export async function reencodePhoto(bytes: Buffer, field?: string): Promise<ReencodedPhoto> {
  try {
    const { data: image, info } = await sharp(bytes, {
      limitInputPixels: PHOTO_LIMITS.maxInputPixels,
      failOn: "warning",
    })
      .autoOrient()
      .resize({
        width: PHOTO_LIMITS.longSide,
        height: PHOTO_LIMITS.longSide,
        fit: "inside",
        withoutEnlargement: true,
      })
      .webp({ quality: PHOTO_LIMITS.quality })
      .toBuffer({ resolveWithObject: true });
    // From the re-encoded photo (already upright and small): far cheaper than decoding the upload twice.
    const thumbnail = await sharp(image)
      .resize({ width: PHOTO_LIMITS.thumbnailSide, height: PHOTO_LIMITS.thumbnailSide, fit: "cover" })
      .webp({ quality: PHOTO_LIMITS.thumbnailQuality })
      .toBuffer();
    return { image, thumbnail, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      const mp = Math.round(PHOTO_LIMITS.maxInputPixels / 1_000_000);
      throw new UploadError(`The photo has too many pixels: at most ${mp} megapixels.`, 400, field);
    }
    throw new UploadError(UNREADABLE, 400, field);
  }
}

async function writeNew(key: string, data: Buffer): Promise<void> {
  await objectStorage().put(checkedKey(key), data, PHOTO_TYPE);
}

const KEY_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks, re-encodes and stores an image with its preview; returns their storage keys. Nothing is written when the
 * image is refused (UploadError), and nothing is left behind when writing fails.
 */
export async function saveImageUpload(
  file: File | CheckedImage,
  opts: { organizationId: string; field?: string },
): Promise<StoredUpload> {
  if (!KEY_SEGMENT.test(opts.organizationId)) throw new Error("saveImageUpload: invalid organization id");
  const checked = file instanceof File ? await checkImageUpload(file, { field: opts.field }) : file;
  const photo = await reencodePhoto(checked.bytes, opts.field);
  const month = new Date().toISOString().slice(0, 7);
  const stem = `${opts.organizationId}/${month}/${crypto.randomBytes(16).toString("hex")}`;
  const key = `${stem}.${PHOTO_EXTENSION}`;
  const thumbnailKey = `${stem}-thumb.${PHOTO_EXTENSION}`;
  await writeNew(key, photo.image);
  try {
    await writeNew(thumbnailKey, photo.thumbnail);
  } catch (error) {
    await deleteStoredUpload(key);
    throw error;
  }
  return {
    path: key,
    thumbnailPath: thumbnailKey,
    fileName: checked.fileName,
    fileType: PHOTO_TYPE,
    size: photo.image.byteLength,
  };
}

/** `saveImageUpload` with refusals thrown as Failure (on `opts.field`). */
export async function storeImageUpload(
  file: File | CheckedImage,
  opts: { organizationId: string; field?: string },
): Promise<StoredUpload> {
  try {
    return await saveImageUpload(file, opts);
  } catch (error) {
    if (error instanceof UploadError) throw uploadFailure(error, opts.field);
    throw error;
  }
}

/** A storage key as saveImageUpload makes them; throws for keys that are malformed or could leave their folder. */
function checkedKey(key: string): string {
  const parts = key.split("/");
  const valid =
    parts.length >= 2 &&
    parts.every((p, i) =>
      i === parts.length - 1 ? /^[A-Za-z0-9_-]{1,64}\.[a-z0-9]{1,8}$/.test(p) : KEY_SEGMENT.test(p),
    );
  if (!valid) throw new UploadError("Unknown file.", 400);
  return key;
}

/** Enough leading bytes for `file-type` to recognise every image type we accept. */
const HEAD_BYTES = 4100;

export interface StoredFile {
  /** The bytes, streamed from the storage as they are sent on. */
  stream: ReadableStream<Uint8Array>;
  fileType: string;
  size: number;
}

/**
 * Opens a stored file as a stream; null when missing. The type is detected again from its first bytes (the only
 * trusted source) before the rest is streamed. Callers check permissions and that the key belongs to the
 * requesting organization (it starts with its id).
 */
export async function readStoredUpload(key: string): Promise<StoredFile | null> {
  let valid: string;
  try {
    valid = checkedKey(key);
  } catch {
    return null;
  }
  const stored = await objectStorage().get(valid);
  if (!stored) return null;
  const chunks = stored.body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headSize = 0;
  let done = false;
  try {
    while (headSize < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        done = true;
        break;
      }
      head.push(Buffer.from(next.value));
      headSize += next.value.byteLength;
    }
  } catch (error) {
    await chunks.return?.();
    throw error;
  }
  const first = Buffer.concat(head);
  const detected = await fileTypeFromBuffer(first);
  async function* all() {
    yield first;
    if (done) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return {
    stream: Readable.toWeb(Readable.from(all())) as ReadableStream<Uint8Array>,
    fileType: detected?.mime ?? "application/octet-stream",
    size: stored.size,
  };
}

/** Deletes stored files (null keys are skipped); missing files are fine (cleanup must never fail the request). */
export async function deleteStoredUpload(...keys: Array<string | null | undefined>): Promise<void> {
  for (const key of keys) {
    if (!key) continue;
    try {
      await objectStorage().delete(checkedKey(key));
    } catch (error) {
      // Malformed key or already gone: nothing to clean up. A store that is down leaves an orphan, said in the log.
      if (!(error instanceof UploadError)) console.warn(`[uploads] could not delete ${key}:`, error);
    }
  }
}

/** True when a storage key belongs to the organization (first path segment). */
export function uploadBelongsTo(key: string, organizationId: string): boolean {
  return key.split("/")[0] === organizationId;
}
