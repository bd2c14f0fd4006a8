/**
 * Uploads in an S3-compatible bucket (app/lib/storage.server.ts) over real HTTP: with S3_BUCKET set, an issue photo
 * and its preview land in the bucket (nothing on the local disk), are served only through the attachment route's
 * permission check (streamed through; the bucket is never exposed), and deleting the attachment removes both
 * objects; a second server on the same bucket serves what the first stored. `npm run uploads:to-s3` copies local
 * files into the bucket and, run again, copies nothing. The bucket is s3rver in this process (tests/helpers/s3.ts).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { attachments, permissions, rolePermissions, roles } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, makeTempUploadDir, orgIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { reportIssueAs } from "../helpers/issue-actors";
import { startLocalS3, type LocalS3 } from "../helpers/s3";

const execFileAsync = promisify(execFile);
const uploadRoot = makeTempUploadDir();
const S3_VARS = ["S3_BUCKET", "S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];
const saved = Object.fromEntries(S3_VARS.map((k) => [k, process.env[k]]));

let s3: LocalS3;
let t: TestDb;
let one: TestServer;
let two: TestServer;
let apc: string;
let machineId: string;
let playerId: string;
let photo: Buffer;

function localFiles(root = uploadRoot): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(root, f)).isFile(),
  );
}

function attachForm(bytes: Buffer): FormData {
  const form = new FormData();
  form.append("intent", "attach");
  form.append("photo", new File([new Uint8Array(bytes)], "door.jpg", { type: "image/jpeg" }));
  return form;
}

async function getImage(client: TestClient, pathname: string) {
  const res = await fetch(client.baseUrl + pathname, {
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      ...(client.org ? { "X-Organization": client.org } : {}),
    },
    redirect: "manual",
  });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

let counter = 0;
async function newIssue(): Promise<string> {
  counter += 1;
  const { id } = await reportIssueAs(t.db, {
    organizationId: apc,
    machineId,
    title: `Bucket test issue ${counter}`,
    reporter: { userId: playerId },
  });
  return id;
}

async function login(server: TestServer, email: string, org?: string): Promise<TestClient> {
  const client = server.client(org ? { org } : undefined);
  await client.login(email);
  return client;
}

beforeAll(async () => {
  s3 = await startLocalS3();
  Object.assign(process.env, s3.env);
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  machineId = (await machineByName(t.db, apc, "Cleopatra")).id;
  playerId = await userIdOf(t.db, "player@dev.local");
  // A member whose role may see issues but not their photos.
  const [role] = await t.db.insert(roles).values({ name: "Viewer", organizationId: apc }).returning({ id: roles.id });
  const [perm] = await t.db
    .select({ id: permissions.id })
    .from(permissions)
    .where(inArray(permissions.name, ["issue:view"]));
  await t.db.insert(rolePermissions).values({ roleId: role.id, permissionId: perm.id });
  const user = await createUser(t.db, { email: "viewer@example.test", name: "Vera", password: "dev-login-123" });
  await addMember(t.db, { userId: user.id, organizationId: apc, roleId: role.id });
  one = await startTestServer(t.db);
  two = await startTestServer(t.db);
  photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .toBuffer();
});

afterAll(async () => {
  await one?.close();
  await two?.close();
  await t?.close();
  await s3?.close();
  for (const k of S3_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

describe("uploads in an S3-compatible bucket", () => {
  it("stores photo and preview in the bucket, serves them only through the permission check, and deletes them", async () => {
    const member = await login(one, "member@dev.local");
    const id = await newIssue();
    expect((await member.post(`/issues/${id}`, attachForm(photo))).status).toBe(200);
    const [row] = await t.db.select().from(attachments).where(eq(attachments.issueId, id));
    expect(await s3.keys()).toEqual(expect.arrayContaining([row.url, row.thumbnailUrl]));
    expect(localFiles()).toEqual([]);

    const admin = await login(one, "admin@dev.local");
    const full = await getImage(admin, `/attachments/${row.id}`);
    expect(full.status).toBe(200);
    expect(full.type).toBe("image/webp");
    expect(await sharp(full.bytes).metadata()).toMatchObject({ format: "webp", width: 800, height: 600 });
    const thumb = await getImage(admin, `/attachments/${row.id}?size=thumbnail`);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 320, height: 320 });

    // A member without attachment:view, and a visitor of another organization.
    const viewer = await login(one, "viewer@example.test");
    expect((await getImage(viewer, `/attachments/${row.id}`)).status).toBe(403);
    expect((await getImage(one.client({ org: "beta" }), `/attachments/${row.id}`)).status).toBe(404);

    expect((await admin.post(`/issues/${id}`, { intent: "attachment-delete", attachmentId: row.id })).status).toBe(200);
    const left = await s3.keys();
    expect(left).not.toContain(row.url);
    expect(left).not.toContain(row.thumbnailUrl);
    expect((await getImage(admin, `/attachments/${row.id}`)).status).toBe(404);
  });

  it("a photo uploaded through one server is served by the other", async () => {
    const member = await login(one, "member@dev.local");
    const id = await newIssue();
    expect((await member.post(`/issues/${id}`, attachForm(photo))).status).toBe(200);
    const [row] = await t.db.select().from(attachments).where(eq(attachments.issueId, id));
    // Both servers live in this process: give the second one a disk of its own, as another machine would have.
    const otherDisk = fs.mkdtempSync(path.join(uploadRoot, "..", "pinpoint-other-disk-"));
    process.env.UPLOAD_DIR = otherDisk;
    try {
      const admin = await login(two, "admin@dev.local");
      const served = await getImage(admin, `/attachments/${row.id}`);
      expect(served.status).toBe(200);
      expect(await sharp(served.bytes).metadata()).toMatchObject({ format: "webp", width: 800 });
    } finally {
      process.env.UPLOAD_DIR = uploadRoot;
      fs.rmSync(otherDisk, { recursive: true, force: true });
    }
  });
});

describe("npm run uploads:to-s3", () => {
  it("copies the local files into the bucket under the same keys, and a second run copies nothing", async () => {
    const from = fs.mkdtempSync(path.join(uploadRoot, "..", "pinpoint-copy-"));
    const keys = [`${apc}/2025-01/aaaaaaaa.webp`, `${apc}/2025-01/aaaaaaaa-thumb.webp`, `${apc}/2024-12/old.png`];
    const small = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#00f" } })
      .png()
      .toBuffer();
    for (const key of keys) {
      fs.mkdirSync(path.join(from, path.dirname(key)), { recursive: true });
      fs.writeFileSync(path.join(from, key), small);
    }
    fs.writeFileSync(path.join(from, apc, "2025-01", "aaaaaaaa.webp.123.tmp"), "half");
    const run = () =>
      execFileAsync(process.execPath, ["--import", "tsx", "scripts/uploads-to-s3.ts"], {
        env: { ...process.env, ...s3.env, UPLOAD_DIR: from },
      });
    try {
      const first = await run();
      expect(first.stdout).toContain("3 copied, 0 already there, 1 skipped (not an upload), 0 failed");
      expect(await s3.keys()).toEqual(expect.arrayContaining(keys));
      const second = await run();
      expect(second.stdout).toContain("0 copied, 3 already there");
      // Copied, not moved: the local files stay until the operator removes them.
      expect(localFiles(from)).toHaveLength(4);
    } finally {
      fs.rmSync(from, { recursive: true, force: true });
    }
  });
});
