/**
 * `npm run uploads:to-s3`: copies the uploaded files under UPLOAD_DIR (default ./data/uploads) into the S3 bucket
 * configured by S3_BUCKET (S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION), under the same keys
 * the database stores, so the app finds them once it starts with S3_BUCKET set. Idempotent: an object already in
 * the bucket is left alone, so the command can run again after an interruption. Local files are kept (delete them
 * yourself once the app serves from the bucket). Prints what it did; exits 1 when a file could not be copied.
 */
import fs from "node:fs";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { s3Settings, s3Storage, uploadDir } from "../app/lib/storage.server";

/** Storage keys as app/lib/uploads.server.ts makes them; anything else in the folder (temp files) is skipped. */
const KEY = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64})*\/[A-Za-z0-9_-]{1,64}\.[a-z0-9]{1,8}$/;

function listFiles(root: string, dir = root): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(root, full);
    return entry.isFile() ? [path.relative(root, full).split(path.sep).join("/")] : [];
  });
}

async function main() {
  const settings = s3Settings();
  if (!settings) {
    console.error("S3_BUCKET is not set: nothing to copy to. See README.md (Several instances).");
    process.exit(2);
  }
  const root = uploadDir();
  const bucket = s3Storage(settings);
  const counts = { copied: 0, alreadyThere: 0, skipped: 0, failed: 0 };
  for (const key of listFiles(root)) {
    if (!KEY.test(key)) {
      counts.skipped += 1;
      continue;
    }
    try {
      if (await bucket.exists(key)) {
        counts.alreadyThere += 1;
        continue;
      }
      const data = fs.readFileSync(path.join(root, ...key.split("/")));
      const type = (await fileTypeFromBuffer(data))?.mime ?? "application/octet-stream";
      await bucket.put(key, data, type);
      counts.copied += 1;
    } catch (error) {
      counts.failed += 1;
      console.error(`could not copy ${key}:`, error instanceof Error ? error.message : error);
    }
  }
  console.log(
    `Uploads from ${root} to ${bucket.location}: ${counts.copied} copied, ${counts.alreadyThere} already there, ` +
      `${counts.skipped} skipped (not an upload), ${counts.failed} failed.`,
  );
  if (counts.failed) process.exitCode = 1;
}

await main();
