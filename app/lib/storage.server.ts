/**
 * Where uploaded files live, behind one interface: the local disk under UPLOAD_DIR (default), or any S3-compatible
 * object store through the AWS SDK when S3_BUCKET is set, so several app instances see the same files
 * (docs/decisions/033-shared-limits-and-object-storage.md).
 *
 * S3 settings: S3_BUCKET, S3_ENDPOINT (a non-AWS store such as MinIO or R2; path-style addressing then), and the
 * SDK's standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION. Objects are written without any ACL, so
 * they stay private: browsers get them only through the app's permission check (app/routes/attachments.$attachmentId.tsx),
 * which streams them through.
 *
 * Keys are storage keys as app/lib/uploads.server.ts makes them (`<organizationId>/<yyyy-mm>/<name>.<ext>`); that
 * module checks them before they reach a store.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";

export interface StoredObject {
  body: AsyncIterable<Uint8Array>;
  size: number;
}

export interface ObjectStorage {
  /** "disk" or "s3", for logs and the copy command. */
  readonly kind: "disk" | "s3";
  /** Where, for logs: a directory or `s3://bucket`. */
  readonly location: string;
  /** Writes the whole object; a reader never sees it half-written. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object as a stream, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; a missing one is fine. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
}

/** The S3 settings from the environment, or null when S3_BUCKET is not set (the disk is used). */
export function s3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings | null {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return null;
  return {
    bucket,
    endpoint: env.S3_ENDPOINT?.trim() || undefined,
    // The SDK wants a region even for stores that ignore it.
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || "us-east-1",
  };
}

export function uploadDir(): string {
  return path.resolve(process.env.UPLOAD_DIR ?? path.join(process.cwd(), "data", "uploads"));
}

// ---------------------------------------------------------------------------------------------------------------
// Local disk

export function diskStorage(root: string): ObjectStorage {
  const full = (key: string) => path.join(root, ...key.split("/"));
  return {
    kind: "disk",
    location: root,
    async put(key, data) {
      const target = full(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      // Written beside the target and renamed, so a crash never leaves a half-written file under the final name.
      const temp = `${target}.${process.pid}.tmp`;
      try {
        await fsp.writeFile(temp, data, { flag: "wx", mode: 0o640 });
        await fsp.rename(temp, target);
      } catch (error) {
        await fsp.rm(temp, { force: true }).catch(() => {});
        throw error;
      }
    },
    async get(key) {
      try {
        const handle = await fsp.open(full(key), "r");
        const { size } = await handle.stat();
        return { body: handle.createReadStream(), size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async delete(key) {
      await fsp.rm(full(key), { force: true });
    },
    async exists(key) {
      return fs.existsSync(full(key));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// S3-compatible store

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/** An SDK client for the settings (also used by tests and the copy command to look into the bucket). */
export async function s3Client(settings: S3Settings): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    // Self-hosted stores are addressed as <endpoint>/<bucket>/<key>, not by a bucket subdomain.
    forcePathStyle: Boolean(settings.endpoint),
    // Checksums only where S3 requires them: several S3-compatible stores refuse the newer default checksum headers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export function s3Storage(settings: S3Settings): ObjectStorage {
  let client: Promise<S3Client> | undefined;
  const sdk = () => import("@aws-sdk/client-s3");
  const c = () => (client ??= s3Client(settings));
  const Bucket = settings.bucket;
  return {
    kind: "s3",
    location: `s3://${Bucket}`,
    async put(key, data, contentType) {
      const { PutObjectCommand } = await sdk();
      await (await c()).send(new PutObjectCommand({ Bucket, Key: key, Body: data, ContentType: contentType }));
    },
    async get(key) {
      const { GetObjectCommand } = await sdk();
      try {
        const res = await (await c()).send(new GetObjectCommand({ Bucket, Key: key }));
        if (!res.Body) return null;
        return { body: res.Body as unknown as Readable, size: Number(res.ContentLength ?? 0) };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      const { DeleteObjectCommand } = await sdk();
      await (await c()).send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async exists(key) {
      const { HeadObjectCommand } = await sdk();
      try {
        await (await c()).send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The storage of this process

interface Cached {
  signature: string;
  storage: ObjectStorage;
}
// On globalThis so the server bundle and code loaded from source share one client; rebuilt when the settings change
// (tests switch between disk and S3 within one process).
const globalKey = Symbol.for("pinpoint.objectStorage");

/** The storage the environment asks for: S3 when S3_BUCKET is set, else the disk under UPLOAD_DIR. */
export function objectStorage(): ObjectStorage {
  const settings = s3Settings();
  const signature = JSON.stringify(settings ?? uploadDir());
  const g = globalThis as Record<symbol, Cached | undefined>;
  const cached = g[globalKey];
  if (cached?.signature === signature) return cached.storage;
  const storage = settings ? s3Storage(settings) : diskStorage(uploadDir());
  g[globalKey] = { signature, storage };
  return storage;
}

/** A Node stream of the bytes (for a Response body use `Readable.toWeb`). */
export function toReadable(body: AsyncIterable<Uint8Array>): Readable {
  return body instanceof Readable ? body : Readable.from(body);
}
