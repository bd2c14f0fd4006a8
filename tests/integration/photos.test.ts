/**
 * The photo pipeline over real HTTP (docs/decisions/029-photos-reencoded-with-sharp.md): a phone-like JPEG with a GPS
 * position and an EXIF orientation is stored re-encoded as WebP (no metadata left, turned upright, long side capped)
 * with a 320 px square preview, both served only through the attachment permission check; damaged images and pixel
 * bombs are refused with a 400 and a message, storing nothing; deleting a photo removes both files.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { count, eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { attachments, issues, permissions, rolePermissions, roles } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { reportIssueAs } from "../helpers/issue-actors";
import { machineByName, makeTempUploadDir, orgIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

const uploadRoot = makeTempUploadDir();

let t: TestDb;
let server: TestServer;
let apc: string;
let machineId: string;
let playerId: string;
let member: TestClient;
let admin: TestClient;
let viewer: TestClient;
let phonePhoto: Buffer;

const BLUE_SQUARE = 300;

/** A 3000 × 2000 JPEG as a phone writes it: sensor-oriented pixels plus orientation 6 (turn 90° clockwise to view),
 * the camera's make and a GPS position. A blue square marks the stored top-left corner. */
async function makePhonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 220, g: 30, b: 30 } } })
    .composite([
      {
        input: { create: { width: BLUE_SQUARE, height: BLUE_SQUARE, channels: 3, background: { r: 0, g: 0, b: 255 } } },
        top: 0,
        left: 0,
      },
    ])
    .jpeg({ quality: 90 })
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

/** True when raw EXIF (as sharp's metadata() gives it) has a GPS directory (IFD0 tag 0x8825). */
function hasGpsDirectory(exif: Buffer): boolean {
  const tiff = exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? 6 : 0;
  const little = exif.subarray(tiff, tiff + 2).toString("latin1") === "II";
  const u16 = (at: number) => (little ? exif.readUInt16LE(at) : exif.readUInt16BE(at));
  const u32 = (at: number) => (little ? exif.readUInt32LE(at) : exif.readUInt32BE(at));
  const ifd0 = tiff + u32(tiff + 4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** A PNG that declares 20000 × 20000 pixels (400 megapixels) in about 50 kB: one-bit rows of zeros, deflated. */
function pixelBomb(): Buffer {
  const side = 20_000;
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.byteLength);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = zlib.deflateSync(Buffer.alloc(side * (1 + side / 8)), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function storedFiles(): string[] {
  if (!fs.existsSync(uploadRoot)) return [];
  return (fs.readdirSync(uploadRoot, { recursive: true }) as string[])
    .map((f) => path.join(uploadRoot, f))
    .filter((f) => fs.statSync(f).isFile());
}

function attachForm(bytes: Buffer, name: string, type: string): FormData {
  const form = new FormData();
  form.append("intent", "attach");
  form.append("photo", new File([new Uint8Array(bytes)], name, { type }));
  return form;
}

async function getImage(client: TestClient, pathname: string) {
  const res = await fetch(client.baseUrl + pathname, {
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    redirect: "manual",
  });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Mean colour of a small square of an image. */
async function colourAt(image: Buffer, left: number, top: number) {
  const raw = await sharp(image).extract({ left, top, width: 20, height: 20 }).removeAlpha().raw().toBuffer();
  const mean = [0, 0, 0];
  for (let i = 0; i < raw.length; i += 3) for (let c = 0; c < 3; c++) mean[c] += raw[i + c] / (raw.length / 3);
  return { r: mean[0], g: mean[1], b: mean[2] };
}

let counter = 0;
async function newIssue(): Promise<string> {
  counter += 1;
  const { id } = await reportIssueAs(t.db, {
    organizationId: apc,
    machineId,
    title: `Photo test issue ${counter}`,
    reporter: { userId: playerId },
  });
  return id;
}

async function attachmentCount(): Promise<number> {
  return Number((await t.db.select({ n: count() }).from(attachments))[0].n);
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  machineId = (await machineByName(t.db, apc, "Cleopatra")).id;
  playerId = await userIdOf(t.db, "player@dev.local");
  // A role that may see issues but not their photos.
  const [role] = await t.db.insert(roles).values({ name: "Viewer", organizationId: apc }).returning({ id: roles.id });
  const [perm] = await t.db
    .select({ id: permissions.id })
    .from(permissions)
    .where(inArray(permissions.name, ["issue:view"]));
  await t.db.insert(rolePermissions).values({ roleId: role.id, permissionId: perm.id });
  const user = await createUser(t.db, { email: "viewer@example.test", name: "Vera", password: "dev-login-123" });
  await addMember(t.db, { userId: user.id, organizationId: apc, roleId: role.id });
  server = await startTestServer(t.db);
  member = server.client();
  admin = server.client();
  viewer = server.client();
  await member.login("member@dev.local");
  await admin.login("admin@dev.local");
  await viewer.login("viewer@example.test");
  phonePhoto = await makePhonePhoto();
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

describe("a photo from a phone", () => {
  it("is stored upright, capped at 2048 px, as WebP without EXIF or GPS, with a small square preview", async () => {
    // The fixture really carries what the pipeline must remove.
    const sent = await sharp(phonePhoto).metadata();
    expect(sent).toMatchObject({ format: "jpeg", width: 3000, height: 2000, orientation: 6 });
    expect(hasGpsDirectory(sent.exif!)).toBe(true);

    const id = await newIssue();
    const before = storedFiles();
    const res = await member.post(`/issues/${id}`, attachForm(phonePhoto, "IMG_0042.jpg", "image/jpeg"));
    expect(res.status).toBe(200);
    const [row] = await t.db.select().from(attachments).where(eq(attachments.issueId, id));
    expect(row).toMatchObject({ fileName: "IMG_0042.webp", fileType: "image/webp", organizationId: apc });
    expect(row.thumbnailUrl).toBeTruthy();
    // The photo and its preview, nothing else: the file as sent is not kept.
    const added = storedFiles().filter((f) => !before.includes(f));
    expect(added.sort()).toEqual(
      [path.join(uploadRoot, ...row.url.split("/")), path.join(uploadRoot, ...row.thumbnailUrl!.split("/"))].sort(),
    );
    for (const f of added) expect(fs.readFileSync(f).includes(Buffer.from("PhoneCo"))).toBe(false);

    const full = await getImage(member, `/attachments/${row.id}`);
    expect(full.status).toBe(200);
    expect(full.type).toBe("image/webp");
    const meta = await sharp(full.bytes).metadata();
    expect(meta.format).toBe("webp");
    // Turned upright (portrait) and capped: 2000 × 3000 as viewed → 1365 × 2048.
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 1365, height: 2048 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // The stored top-left corner (blue) is now the top-right one, as the orientation tag said.
    const topRight = await colourAt(full.bytes, meta.width! - 40, 10);
    const topLeft = await colourAt(full.bytes, 10, 10);
    expect(topRight.b).toBeGreaterThan(200);
    expect(topRight.r).toBeLessThan(60);
    expect(topLeft.r).toBeGreaterThan(180);
    expect(topLeft.b).toBeLessThan(80);

    const thumb = await getImage(member, `/attachments/${row.id}?size=thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.type).toBe("image/webp");
    const thumbMeta = await sharp(thumb.bytes).metadata();
    expect(thumbMeta).toMatchObject({ format: "webp", width: 320, height: 320 });
    expect(thumbMeta.exif).toBeUndefined();
    expect(thumb.bytes.byteLength).toBeLessThan(15_000);
    expect(thumb.bytes.byteLength).toBeLessThan(full.bytes.byteLength);

    // The issue page lists the preview and links the photo.
    const page = await member.get(`/issues/${id}`);
    expect(page.text).toContain(`src="/attachments/${row.id}?size=thumbnail"`);
    expect(page.text).toContain(`href="/attachments/${row.id}"`);
  });

  it("never enlarges a small image; the public report form stores its photo the same way", async () => {
    const small = await sharp({ create: { width: 640, height: 480, channels: 4, background: "#3a6" } })
      .png()
      .toBuffer();
    const fd = new FormData();
    for (const [k, v] of Object.entries({ intent: "report", title: "Coin door sticks", website: "" })) fd.append(k, v);
    fd.append("photo", new File([new Uint8Array(small)], "door.png", { type: "image/png" }));
    const res = await server.client({ org: "apc" }).post(`/m/${machineId}`, fd);
    expect(res.status).toBe(302);
    const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.title, "Coin door sticks"));
    const [row] = await t.db.select().from(attachments).where(eq(attachments.issueId, issue.id));
    expect(row).toMatchObject({ fileName: "door.webp", fileType: "image/webp" });
    const full = await getImage(admin, `/attachments/${row.id}`);
    expect(await sharp(full.bytes).metadata()).toMatchObject({ format: "webp", width: 640, height: 480 });
    const thumb = await getImage(admin, `/attachments/${row.id}?size=thumbnail`);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 320, height: 320 });
  });

  it("serves the preview through the same permission check as the photo, and deleting removes both files", async () => {
    const id = await newIssue();
    expect((await member.post(`/issues/${id}`, attachForm(phonePhoto, "p.jpg", "image/jpeg"))).status).toBe(200);
    const [row] = await t.db.select().from(attachments).where(eq(attachments.issueId, id));
    // Visitors hold attachment:view through the Unauthenticated role; the Viewer role does not hold it.
    expect((await getImage(server.client({ org: "apc" }), `/attachments/${row.id}?size=thumbnail`)).status).toBe(200);
    expect((await getImage(viewer, `/attachments/${row.id}?size=thumbnail`)).status).toBe(403);
    const beta = server.client({ org: "beta" });
    expect((await beta.get(`/attachments/${row.id}?size=thumbnail`)).status).toBe(404);

    const files = [row.url, row.thumbnailUrl!].map((k) => path.join(uploadRoot, ...k.split("/")));
    expect(files.every((f) => fs.existsSync(f))).toBe(true);
    expect((await admin.post(`/issues/${id}`, { intent: "attachment-delete", attachmentId: row.id })).status).toBe(200);
    expect(files.some((f) => fs.existsSync(f))).toBe(false);
    expect((await admin.get(`/attachments/${row.id}?size=thumbnail`)).status).toBe(404);
  });
});

describe("images that cannot be stored", () => {
  const damaged: Array<[string, () => Buffer, string]> = [
    [
      "JPEG signature, then garbage",
      () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(4000, 0x5a)]),
      "could not read that photo",
    ],
    ["a JPEG cut short", () => phonePhoto.subarray(0, 4000), "could not read that photo"],
    ["a 400-megapixel PNG of 50 kB", pixelBomb, "too many pixels"],
  ];

  it.each(damaged)(
    "%s: 400 with a message on the issue page and the public form, nothing stored",
    async (name, bytes, message) => {
      const body = bytes();
      expect(body.byteLength).toBeLessThan(5 * 1024 * 1024);
      const id = await newIssue();
      const files = storedFiles().length;
      const rows = await attachmentCount();

      const attach = await member.post(`/issues/${id}`, attachForm(body, "broken.jpg", "image/jpeg"));
      expect(attach.status).toBe(400);
      expect(attach.text).toContain(message);

      const fd = new FormData();
      for (const [k, v] of Object.entries({ intent: "report", title: `Broken photo ${name}`, website: "" }))
        fd.append(k, v);
      fd.append("photo", new File([new Uint8Array(body)], "broken.jpg", { type: "image/jpeg" }));
      const report = await server.client({ org: "apc" }).post(`/m/${machineId}`, fd);
      expect(report.status).toBe(400);
      expect(report.text).toContain(message);

      expect(storedFiles().length).toBe(files);
      expect(await attachmentCount()).toBe(rows);
      expect(
        await t.db
          .select()
          .from(issues)
          .where(eq(issues.title, `Broken photo ${name}`)),
      ).toHaveLength(0);
    },
  );
});
