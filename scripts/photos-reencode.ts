/**
 * `npm run photos:reencode`: re-encodes the photos stored as sent before uploads were re-encoded (EXIF and GPS
 * position removed, turned upright, capped size, WebP, with a preview), in the upload storage the app uses (UPLOAD_DIR
 * or the S3 bucket of S3_BUCKET), on the embedded database or DATABASE_URL. Originals are deleted once their
 * attachment points at the new file. Safe to run again. app/use-cases/photo-maintenance.server.ts.
 * The embedded database is locked while the server runs: stop the server first.
 */
import { reencodeStoredPhotos } from "../app/use-cases/photo-maintenance.server";
import { openDatabase } from "../db/client.server";
import { DataDirLockedError } from "../db/lock.server";

async function main() {
  const handle = await openDatabase({ url: process.env.DATABASE_URL || undefined, lock: true });
  try {
    const counts = await reencodeStoredPhotos(handle.db, (line) => console.log(line));
    console.log(
      `Photos: ${counts.reencoded} re-encoded, ${counts.missing} missing in the storage, ${counts.unreadable} unreadable, ${counts.skipped} skipped.`,
    );
    if (counts.missing || counts.unreadable) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
