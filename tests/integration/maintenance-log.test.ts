/**
 * The maintenance log over real HTTP on the seeded demo data: members with machine:maintain add dated, tagged notes to
 * a machine (optionally about one of its issues, optionally with a photo stored like issue photos), they show on the
 * machine's paginated timeline beside its issues, authors edit and delete their own, and people who also edit machines
 * edit anyone's. Refusals write nothing: roles without the permission, bad input, an issue of another machine or of
 * another organization, and another organization's machines and notes.
 */
import fs from "node:fs";
import { and, count, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { createRole } from "../../db/queries/roles.server";
import { issues, machines, maintenanceNotes, maintenancePhotos } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf, setRoleDirect, signedIn, userIdOf, visible } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir();

let t: TestDb;
let server: TestServer;
let apc: string;
let beta: string;
let admin: TestClient;
let member: TestClient;
let other: TestClient;
let desk: TestClient;
let betaAdmin: TestClient;
/** A machine of apc with issues, another apc machine, and a beta machine. */
let machineId: string;
let otherMachineId: string;
let betaMachineId: string;
let issueId: string;
let otherMachineIssueId: string;
let betaIssueId: string;

async function png(): Promise<Blob> {
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 30 } } })
    .png()
    .toBuffer();
  return new File([new Uint8Array(bytes)], "coil.png", { type: "image/png" });
}

async function noteCount(): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(maintenanceNotes);
  return Number(row.n);
}

async function photoCount(): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(maintenancePhotos);
  return Number(row.n);
}

function note(fields: Record<string, string | Blob> = {}) {
  return {
    intent: "note",
    performedOn: "2026-11-20",
    tag: "parts",
    content: "Replaced the left flipper coil",
    issueId: "",
    ...fields,
  };
}

async function firstIssueOf(machine: string): Promise<string> {
  const [row] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.machineId, machine)).limit(1);
  return row.id;
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  beta = await orgIdOf(t.db, "beta");
  // "Desk": machine and issue viewing only, no machine:maintain.
  await createRole(t.db, apc, { name: "Desk", isDefault: false, permissions: ["issue:view", "machine:view"] });
  await setRoleDirect(t.db, "roger.sharpe@pinpoint.dev", "apc", "Desk");
  server = await startTestServer(t.db);
  admin = await signedIn(server, "admin@dev.local");
  member = await signedIn(server, "member@dev.local");
  other = await signedIn(server, "player@dev.local");
  desk = await signedIn(server, "roger.sharpe@pinpoint.dev");
  betaAdmin = await signedIn(server, "admin@beta.local", "beta");
  const withIssues = await t.db
    .selectDistinct({ id: issues.machineId })
    .from(issues)
    .where(eq(issues.organizationId, apc))
    .limit(2);
  machineId = withIssues[0].id;
  otherMachineId = withIssues[1].id;
  issueId = await firstIssueOf(machineId);
  otherMachineIssueId = await firstIssueOf(otherMachineId);
  const [bm] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, beta)).limit(1);
  betaMachineId = bm.id;
  const [bi] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta)).limit(1);
  betaIssueId = bi?.id ?? "cnosuchissue000000000000";
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

describe("adding notes", () => {
  it("refuses roles without machine:maintain and bad input, writing nothing", async () => {
    expect((await desk.post(`/machines/${machineId}`, note())).status).toBe(403);
    const bad: Record<string, string>[] = [
      { tag: "painting" },
      { tag: "" },
      { content: "   " },
      { content: "x".repeat(4001) },
      { performedOn: "" },
      { performedOn: "2026-02-30" },
      { performedOn: "1899-12-31" },
      { performedOn: "2999-01-01" },
      { performedOn: "yesterday" },
      { issueId: otherMachineIssueId },
      { issueId: betaIssueId },
      { issueId: "nope" },
    ];
    for (const b of bad) {
      const res = await member.post(`/machines/${machineId}`, note(b));
      expect(res.status, JSON.stringify(b).slice(0, 80)).toBe(400);
    }
    expect(await noteCount()).toBe(0);
  });

  it("another organization cannot add a note to this machine (404 on its host, 403 on ours)", async () => {
    expect((await betaAdmin.post(`/machines/${machineId}`, note())).status).toBe(404);
    const onApc = server.client({ org: "apc" });
    await onApc.login("admin@beta.local");
    expect((await onApc.post(`/machines/${machineId}`, note())).status).toBe(403);
    // …nor link one of its own machines' notes to our issue.
    expect((await betaAdmin.post(`/machines/${betaMachineId}`, note({ issueId }))).status).toBe(400);
    expect(await noteCount()).toBe(0);
  });

  it("a member adds a note about an issue of the machine, with a photo; it is on the timeline", async () => {
    const res = await member.post(`/machines/${machineId}`, note({ issueId, photo: await png() }));
    expect(res.status).toBe(302);
    const [row] = await t.db.select().from(maintenanceNotes);
    expect(row).toMatchObject({
      organizationId: apc,
      machineId,
      issueId,
      tag: "parts",
      performedOn: "2026-11-20",
      content: "Replaced the left flipper coil",
      authorId: await userIdOf(t.db, "member@dev.local"),
    });
    const [photo] = await t.db.select().from(maintenancePhotos);
    expect(photo).toMatchObject({ noteId: row.id, organizationId: apc, fileType: "image/webp" });
    expect(photo.url.startsWith(`${apc}/`)).toBe(true);
    const page = visible((await member.get(`/machines/${machineId}`)).text);
    expect(page).toContain("Replaced the left flipper coil");
    expect(page).toContain(`id="note-${row.id}"`);
    expect(page).toContain(`id="issue-${issueId}"`);
    // The photo is served to members, never to visitors.
    expect((await member.get(`/attachments/${photo.id}`)).status).toBe(200);
    expect((await server.client({ org: "apc" }).get(`/attachments/${photo.id}`)).status).toBe(404);
    expect((await betaAdmin.get(`/attachments/${photo.id}`)).status).toBe(404);
  });
});

describe("the timeline", () => {
  it("merges issues and notes newest first, a page at a time, each entry once", async () => {
    const authorId = await userIdOf(t.db, "member@dev.local");
    await t.db.insert(maintenanceNotes).values(
      Array.from({ length: 24 }, (_, i) => ({
        organizationId: apc,
        machineId,
        authorId,
        performedOn: `2020-01-${String(i + 1).padStart(2, "0")}`,
        tag: "cleaning",
        content: `Old cleaning ${i + 1}`,
      })),
    );
    const [issueTotal] = await t.db.select({ n: count() }).from(issues).where(eq(issues.machineId, machineId));
    const total = 25 + Number(issueTotal.n);
    const seen: string[] = [];
    for (let p = 1; p <= Math.ceil(total / 20); p++) {
      const html = (await member.get(`/machines/${machineId}?page=${p}`)).text;
      const section = html.slice(html.indexOf('id="timeline-heading"'));
      seen.push(...[...section.matchAll(/<li id="((?:issue|note)-[^"]+)"/g)].map((m) => m[1]));
      const times = [...section.matchAll(/<li id="(?:issue|note)-[^"]+"[^>]*>.*?<time dateTime="([^"]+)"/gs)].map(
        (m) => m[1],
      );
      expect(times.length).toBeGreaterThan(0);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // The oldest entries are the 2020 notes, oldest last.
    expect(seen.at(-1)).toMatch(/^note-/);
    const last = await t.db
      .select({ id: maintenanceNotes.id })
      .from(maintenanceNotes)
      .where(and(eq(maintenanceNotes.machineId, machineId), eq(maintenanceNotes.performedOn, "2020-01-01")));
    expect(seen.at(-1)).toBe(`note-${last[0].id}`);
  });

  it("deleting a machine with notes (and no issues) is refused, keeping its log", async () => {
    const [quiet] = await t.db
      .select({ id: machines.id })
      .from(machines)
      .where(
        and(
          eq(machines.organizationId, apc),
          sql`not exists (select 1 from "Issue" i where i."machineId" = ${machines.id})`,
        ),
      )
      .limit(1);
    expect((await member.post(`/machines/${quiet.id}`, note({ content: "Waxed the playfield" }))).status).toBe(302);
    const res = await admin.post(`/machines/${quiet.id}`, { intent: "delete", confirm: "yes" });
    expect(res.status).toBe(409);
    expect(visible(res.text)).toContain("maintenance note");
    expect(await t.db.select({ id: machines.id }).from(machines).where(eq(machines.id, quiet.id))).toHaveLength(1);
  });
});

describe("changing notes", () => {
  async function theNote() {
    const [row] = await t.db
      .select()
      .from(maintenanceNotes)
      .where(eq(maintenanceNotes.content, "Replaced the left flipper coil"));
    return row;
  }
  const save = (fields: Record<string, string> = {}) => ({
    intent: "save",
    performedOn: "2026-11-21",
    tag: "adjustment",
    content: "Adjusted the coil stop",
    issueId: "",
    ...fields,
  });

  it("another member without machine:edit may not change it; another organization gets 404", async () => {
    const n = await theNote();
    const url = `/machines/${machineId}/log/${n.id}`;
    expect((await other.get(url)).status).toBe(403);
    expect((await other.post(url, save())).status).toBe(403);
    expect((await other.post(url, { intent: "delete", confirm: "yes" })).status).toBe(403);
    expect((await desk.post(url, save())).status).toBe(403);
    expect((await betaAdmin.get(url)).status).toBe(404);
    expect((await betaAdmin.post(url, save())).status).toBe(404);
    expect((await betaAdmin.post(`/machines/${betaMachineId}/log/${n.id}`, save())).status).toBe(404);
    // The note under the wrong machine of its own organization is not found either.
    expect((await member.post(`/machines/${otherMachineId}/log/${n.id}`, save())).status).toBe(404);
    expect(await theNote()).toEqual(n);
  });

  it("its author edits it; bad input is a 400 and changes nothing", async () => {
    const n = await theNote();
    const url = `/machines/${machineId}/log/${n.id}`;
    expect((await member.get(url)).status).toBe(200);
    expect((await member.post(url, save({ issueId: otherMachineIssueId }))).status).toBe(400);
    expect((await member.post(url, save({ tag: "x" }))).status).toBe(400);
    expect(await theNote()).toEqual(n);
    expect((await member.post(url, save({ content: "Replaced the left flipper coil" }))).status).toBe(302);
    expect(await theNote()).toMatchObject({ tag: "adjustment", performedOn: "2026-11-21", issueId: null });
  });

  it("someone with machine:edit changes anyone's note; the author deletes it with its photos", async () => {
    const n = await theNote();
    const url = `/machines/${machineId}/log/${n.id}`;
    expect(
      (await admin.post(url, { ...save({ content: "Replaced the left flipper coil" }), tag: "upgrade" })).status,
    ).toBe(302);
    expect((await theNote()).tag).toBe("upgrade");
    const [photo] = await t.db.select().from(maintenancePhotos).where(eq(maintenancePhotos.noteId, n.id));
    const file = `${uploadRoot}/${photo.url}`;
    expect(fs.existsSync(file)).toBe(true);
    expect((await member.post(url, { intent: "delete" })).status).toBe(400);
    expect((await member.post(url, { intent: "delete", confirm: "yes" })).status).toBe(302);
    expect(await theNote()).toBeUndefined();
    expect(await photoCount()).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });
});
