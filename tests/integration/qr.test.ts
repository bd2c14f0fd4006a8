/**
 * QR codes over real HTTP: the PNG from the resource route decodes (jsQR) to the absolute /qr/<code> URL, which
 * redirects to the machine's public page; /api/qr GET/HEAD; regenerate (one and all) makes old codes lead to the
 * machine picker with a notice (/api/qr: 404); codes of another organization do the same and never reveal the
 * machine; label sheets and admin page permissions.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { collectionMachines, collections, collectionTypes, locations, machines } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf, signedIn } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apcId: string;
let betaId: string;

async function codesOf(orgId: string): Promise<Map<string, string>> {
  const rows = await t.db
    .select({ id: machines.id, qr: machines.qrCodeId })
    .from(machines)
    .where(eq(machines.organizationId, orgId));
  return new Map(rows.map((r) => [r.id, r.qr]));
}

/** A scan of a code the host's organization does not know: a 302 to the machine picker's notice, never cached. */
async function expectUnknownCode(c: TestClient, path: string) {
  const res = await c.get(path);
  expect(res.status).toBe(302);
  expect(res.location).toBe("/report?qr=unknown");
  expect(res.headers.get("cache-control")).toBe("no-store");
  return res;
}

function decodePng(bytes: Buffer): string | null {
  const png = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

async function getBytes(c: TestClient, path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(c.baseUrl + path, {
    headers: { "X-Organization": c.org ?? "apc", cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    redirect: "manual",
  });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apcId = await orgIdOf(t.db, "apc");
  betaId = await orgIdOf(t.db, "beta");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("QR image → scan → machine page", () => {
  it("the PNG decodes to the /qr URL, which redirects (302) to the machine's public page", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    const png = await getBytes(admin, `/machines/${cleo.id}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.type).toBe("image/png");
    const text = decodePng(png.bytes);
    expect(text).toBeTruthy();
    const url = new URL(text!);
    expect(url.pathname).toBe(`/qr/${cleo.qrCodeId}`);
    expect(url.host).toBe(new URL(server.url).host);

    const player = server.client({ org: "apc" });
    const scan = await player.get(url.pathname);
    expect(scan.status).toBe(302);
    expect(scan.location).toBe(`/m/${cleo.id}`);
    expect(scan.headers.get("cache-control")).toBe("no-store");
    const page = await player.get(scan.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Cleopatra");
    expect(page.text).toContain("Report a problem");
  });

  it("serves an SVG download too, and only to members", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    const svg = await admin.get(`/machines/${cleo.id}/qr.svg?download=1`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(svg.headers.get("content-disposition")).toMatch(/^attachment; filename="cleopatra-qr\.svg"$/);
    // The root element states its size (placed as 400 × 400 by programs that read it) and stays scalable.
    const root = /<svg\b[^>]*>/.exec(svg.text)?.[0] ?? "";
    expect(root).toMatch(/\swidth="400"/);
    expect(root).toMatch(/\sheight="400"/);
    expect(root).toMatch(/\sviewBox="0 0 \d+ \d+"/);

    const anonymous = server.client({ org: "apc" });
    const res = await anonymous.get(`/machines/${cleo.id}/qr.png`);
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("the member detail page shows the QR inline (no style attributes) with download links", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    const res = await admin.get(`/machines/${cleo.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`QR code for Cleopatra`);
    expect(res.text).toContain(`/machines/${cleo.id}/qr.png?download=1`);
    expect(res.text).toContain(`/qr/${cleo.qrCodeId}`);
    expect(res.text).not.toMatch(/<svg[^>]*style=/);
  });
});

describe("/api/qr", () => {
  it("GET redirects, HEAD answers 200 without a body, unknown 404, malformed 400", async () => {
    const c = server.client({ org: "apc" });
    const m = await machineByName(t.db, apcId, "Funhouse");
    const get = await c.get(`/api/qr/${m.qrCodeId}`);
    expect(get.status).toBe(302);
    expect(get.location).toBe(`/m/${m.id}`);

    const head = await fetch(`${server.url}/api/qr/${m.qrCodeId}`, {
      method: "HEAD",
      headers: { "X-Organization": "apc" },
      redirect: "manual",
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");

    const unknown = await c.get("/api/qr/doesnotexist123");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ error: "Invalid QR code" });
    const headUnknown = await fetch(`${server.url}/api/qr/doesnotexist123`, {
      method: "HEAD",
      headers: { "X-Organization": "apc" },
    });
    expect(headUnknown.status).toBe(404);

    const bad = await c.get(`/api/qr/${"x".repeat(80)}`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: "Invalid QR code" });
  });

  it("an unknown /qr code leads to the machine picker, which says the code is not known", async () => {
    const player = server.client({ org: "apc" });
    await expectUnknownCode(player, "/qr/nosuchcode42");
    const picker = await player.get("/report?qr=unknown");
    expect(picker.status).toBe(200);
    expect(picker.text).toContain("recognise this QR code");
    const funhouse = await machineByName(t.db, apcId, "Funhouse");
    expect(picker.text).toContain(`href="/m/${funhouse.id}"`);
    // Without the notice's parameter the picker says nothing of the kind.
    expect((await player.get("/report")).text).not.toContain("recognise this QR code");
    // A malformed code is no different to a scanner.
    await expectUnknownCode(player, `/qr/${"x".repeat(80)}`);
  });
});

describe("regenerating", () => {
  it("a machine:edit user regenerates one code: the old one is 404 everywhere, the new one works", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const m = await machineByName(t.db, apcId, "Monopoly");
    const before = await codesOf(apcId);

    const refused = await admin.post(`/machines/${m.id}`, { intent: "regenerate-qr" });
    expect(refused.status).toBe(400);
    expect((await machineByName(t.db, apcId, "Monopoly")).qrCodeId).toBe(m.qrCodeId);

    const res = await admin.post(`/machines/${m.id}`, { intent: "regenerate-qr", confirm: "yes" });
    expect(res.status).toBe(302);
    const after = await machineByName(t.db, apcId, "Monopoly");
    expect(after.qrCodeId).not.toBe(m.qrCodeId);
    // Only this machine changed.
    const now = await codesOf(apcId);
    for (const [id, code] of before) if (id !== m.id) expect(now.get(id)).toBe(code);

    const c = server.client({ org: "apc" });
    await expectUnknownCode(c, `/qr/${m.qrCodeId}`);
    expect((await c.get(`/api/qr/${m.qrCodeId}`)).status).toBe(404);
    const fresh = await c.get(`/qr/${after.qrCodeId}`);
    expect(fresh.status).toBe(302);
    expect(fresh.location).toBe(`/m/${m.id}`);

    // The downloaded image follows the new code.
    const png = await getBytes(admin, `/machines/${m.id}/qr.png`);
    expect(new URL(decodePng(png.bytes)!).pathname).toBe(`/qr/${after.qrCodeId}`);
  });

  it("a member without machine:edit cannot regenerate (403, unchanged)", async () => {
    const member = await signedIn(server, "member@dev.local");
    const m = await machineByName(t.db, apcId, "Paragon");
    const res = await member.post(`/machines/${m.id}`, { intent: "regenerate-qr", confirm: "yes" });
    expect(res.status).toBe(403);
    expect((await machineByName(t.db, apcId, "Paragon")).qrCodeId).toBe(m.qrCodeId);
  });

  it("organization:manage regenerates all codes of its own organization only, after confirmation", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const page = await admin.get("/admin/qr-codes");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Regenerate all codes");

    const generate = await admin.post("/admin/qr-codes", { intent: "generate-missing" });
    expect(generate.status).toBe(302);
    const withoutLabel = await t.db
      .select({ id: machines.id })
      .from(machines)
      .where(and(eq(machines.organizationId, apcId), isNull(machines.qrCodeGeneratedAt)));
    expect(withoutLabel).toEqual([]);

    const apcBefore = await codesOf(apcId);
    const betaBefore = await codesOf(betaId);
    const unconfirmed = await admin.post("/admin/qr-codes", { intent: "regenerate-all" });
    expect(unconfirmed.status).toBe(400);
    expect(await codesOf(apcId)).toEqual(apcBefore);

    const res = await admin.post("/admin/qr-codes", { intent: "regenerate-all", confirm: "yes" });
    expect(res.status).toBe(302);
    expect(res.location).toContain("done=regenerated&count=41");
    const apcAfter = await codesOf(apcId);
    for (const [id, code] of apcBefore) expect(apcAfter.get(id)).not.toBe(code);
    expect(new Set(apcAfter.values()).size).toBe(41);
    expect(await codesOf(betaId)).toEqual(betaBefore);

    const [oldCode] = [...apcBefore.values()];
    await expectUnknownCode(server.client({ org: "apc" }), `/qr/${oldCode}`);

    const member = await signedIn(server, "member@dev.local");
    expect((await member.get("/admin/qr-codes")).status).toBe(403);
    expect((await member.post("/admin/qr-codes", { intent: "regenerate-all", confirm: "yes" })).status).toBe(403);
    expect(await codesOf(apcId)).toEqual(apcAfter);
  });
});

describe("cross-tenant", () => {
  it("an apc code on beta's host is unknown there and reveals nothing", async () => {
    const cleo = await machineByName(t.db, apcId, "Cleopatra"); // beta has no Cleopatra
    const beta = server.client({ org: "beta" });
    const scan = await expectUnknownCode(beta, `/qr/${cleo.qrCodeId}`);
    expect(scan.text).not.toContain(cleo.id);
    const picker = await beta.get(scan.location!);
    expect(picker.text).not.toContain(cleo.id);
    expect(picker.text).not.toContain("Cleopatra");
    const api = await beta.get(`/api/qr/${cleo.qrCodeId}`);
    expect(api.status).toBe(404);
    expect(api.text).not.toContain(cleo.id);
    const head = await fetch(`${server.url}/api/qr/${cleo.qrCodeId}`, {
      method: "HEAD",
      headers: { "X-Organization": "beta" },
    });
    expect(head.status).toBe(404);
  });

  it("beta's admin cannot download, print or regenerate apc codes (404, unchanged)", async () => {
    const betaAdmin = await signedIn(server, "admin@beta.local", "beta");
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    expect((await betaAdmin.get(`/machines/${cleo.id}/qr.png`)).status).toBe(404);
    expect((await betaAdmin.get(`/machines/${cleo.id}/qr.svg`)).status).toBe(404);
    expect((await betaAdmin.get(`/print/labels?machine=${cleo.id}`)).status).toBe(404);
    expect((await betaAdmin.get(`/print/labels?location=${cleo.locationId}`)).status).toBe(404);
    const res = await betaAdmin.post(`/machines/${cleo.id}`, { intent: "regenerate-qr", confirm: "yes" });
    expect(res.status).toBe(404);
    expect((await machineByName(t.db, apcId, "Cleopatra")).qrCodeId).toBe(cleo.qrCodeId);
  });
});

describe("label sheets", () => {
  it("prints every machine of a location with its code inline", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const [loc] = await t.db.select({ id: locations.id }).from(locations).where(eq(locations.organizationId, apcId));
    const res = await admin.get(`/print/labels?location=${loc.id}`);
    expect(res.status).toBe(200);
    expect(res.text.match(/aria-label="QR code for /g)?.length).toBe(41);
    expect(res.text).toContain("Cleopatra");
    expect(res.text).not.toMatch(/ style="/);

    expect((await admin.get("/print/labels")).status).toBe(400);

    // A collection sheet: only the collection's machines; another organization's admin gets 404.
    const [type] = await t.db
      .select({ id: collectionTypes.id })
      .from(collectionTypes)
      .where(eq(collectionTypes.organizationId, apcId))
      .limit(1);
    const [col] = await t.db
      .insert(collections)
      .values({ name: "Front Room", typeId: type.id, locationId: loc.id })
      .returning({ id: collections.id });
    const pair = [await machineByName(t.db, apcId, "Cleopatra"), await machineByName(t.db, apcId, "Funhouse")];
    await t.db.insert(collectionMachines).values(pair.map((m) => ({ collectionId: col.id, machineId: m.id })));
    const sheet = await admin.get(`/print/labels?collection=${col.id}`);
    expect(sheet.status).toBe(200);
    expect(sheet.text.match(/aria-label="QR code for /g)?.length).toBe(2);
    expect(sheet.text.replace(/<!-- -->/g, "")).toContain("QR labels: Front Room");
    const betaAdmin = await signedIn(server, "admin@beta.local", "beta");
    expect((await betaAdmin.get(`/print/labels?collection=${col.id}`)).status).toBe(404);
    const member = await signedIn(server, "member@dev.local");
    expect((await member.get(`/print/labels?location=${loc.id}`)).status).toBe(403);
  });
});
