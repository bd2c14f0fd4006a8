/**
 * `npm run photos:reencode` (app/use-cases/photo-maintenance.server.ts): a photo stored as sent before uploads were
 * re-encoded, a phone JPEG with a GPS position and EXIF orientation, becomes an upright WebP without metadata, capped
 * at PHOTO_LIMITS.longSide, with a preview; the attachment points at it and the original file is gone. A photo whose
 * file is missing is reported and left alone; a second run changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHOTO_LIMITS } from "~/lib/uploads.server";
import { reencodeStoredPhotos } from "~/use-cases/photo-maintenance.server";
import { insertAttachmentRow } from "../../db/queries/attachments.server";
import { attachments, issues } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf } from "../helpers/fixtures";

const uploadRoot = makeTempUploadDir();

let t: TestDb;
let apc: string;
let issueId: string;

/** 3000 × 2000 pixels as the sensor stored them, orientation 6 (view turned 90°), camera make and a GPS position. */
function oldPhonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 9" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "30/1 16/1 2000/100",
        GPSLongitudeRef: "W",
        GPSLongitude: "97/1 44/1 1000/100",
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

const fileOf = (key: string) => path.join(uploadRoot, ...key.split("/"));

async function attachOldFile(key: string, bytes: Buffer | null, fileName: string): Promise<string> {
  if (bytes) {
    fs.mkdirSync(path.dirname(fileOf(key)), { recursive: true });
    fs.writeFileSync(fileOf(key), bytes);
  }
  return insertAttachmentRow(t.db, {
    organizationId: apc,
    issueId,
    file: { url: key, thumbnailUrl: null, fileName, fileType: "image/jpeg" },
    now: new Date(),
  });
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, apc)).limit(1);
  issueId = issue.id;
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

describe("npm run photos:reencode", () => {
  it("re-encodes photos stored as sent: no EXIF or GPS, upright, capped, WebP with a preview; originals removed", async () => {
    const sent = await oldPhonePhoto();
    expect((await sharp(sent).metadata()).exif).toBeDefined();
    const oldKey = `${apc}/2024-05/sentasis0001.jpg`;
    const photoId = await attachOldFile(oldKey, sent, "IMG_0001.jpg");
    const goneId = await attachOldFile(`${apc}/2024-05/lostfile0002.jpg`, null, "IMG_0002.jpg");

    const counts = await reencodeStoredPhotos(t.db);
    expect(counts).toEqual({ reencoded: 1, missing: 1, unreadable: 0, skipped: 0 });

    const [row] = await t.db
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, photoId), eq(attachments.organizationId, apc)));
    expect(row.url).toMatch(new RegExp(`^${apc}/\\d{4}-\\d{2}/[0-9a-f]{32}\\.webp$`));
    expect(row.thumbnailUrl).toMatch(/-thumb\.webp$/);
    expect(row.fileType).toBe("image/webp");
    expect(row.fileName).toBe("IMG_0001.webp");
    expect(fs.existsSync(fileOf(oldKey))).toBe(false);

    const meta = await sharp(fs.readFileSync(fileOf(row.url))).metadata();
    expect(meta.format).toBe("webp");
    expect(meta.exif).toBeUndefined();
    // Turned upright (portrait) and capped: 2000 × 3000 → 1365 × 2048.
    expect([meta.width, meta.height]).toEqual([
      Math.round((2000 * PHOTO_LIMITS.longSide) / 3000),
      PHOTO_LIMITS.longSide,
    ]);
    const thumb = await sharp(fs.readFileSync(fileOf(row.thumbnailUrl!))).metadata();
    expect([thumb.width, thumb.height, thumb.exif]).toEqual([
      PHOTO_LIMITS.thumbnailSide,
      PHOTO_LIMITS.thumbnailSide,
      undefined,
    ]);

    const [gone] = await t.db.select().from(attachments).where(eq(attachments.id, goneId));
    expect(gone.url).toBe(`${apc}/2024-05/lostfile0002.jpg`);
    expect(gone.thumbnailUrl).toBeNull();

    // Again: nothing left to do but the missing file, which is reported again.
    expect(await reencodeStoredPhotos(t.db)).toEqual({ reencoded: 0, missing: 1, unreadable: 0, skipped: 0 });
    const [same] = await t.db.select().from(attachments).where(eq(attachments.id, photoId));
    expect(same.url).toBe(row.url);
  });
});
