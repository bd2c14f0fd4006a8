/**
 * Machines, locations and models over real HTTP: create/edit/delete with permissions, the owner must be a member,
 * models of another organization are invisible and refused, a location with machines cannot be deleted, a machine
 * with issues cannot be deleted, list filters, and cross-tenant attempts (beta's admin on apc ids → 404, nothing
 * changed).
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues, locations, machines, models } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf, signedIn, userIdOf, visible } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apcId: string;
let betaId: string;
let apcLocationId: string;
let betaLocationId: string;
let catalogueModelId: string;
let admin: TestClient;
let member: TestClient;
let betaAdmin: TestClient;

async function machineRow(id: string) {
  const [row] = await t.db.select().from(machines).where(eq(machines.id, id));
  return row ?? null;
}

async function machineCount(orgId: string): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(machines).where(eq(machines.organizationId, orgId));
  return Number(row.n);
}

function createdId(location: string | null): string {
  const m = location?.match(/^\/machines\/([^/?#]+)\?created=1$/);
  if (!m) throw new Error(`unexpected redirect ${location}`);
  return m[1];
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apcId = await orgIdOf(t.db, "apc");
  betaId = await orgIdOf(t.db, "beta");
  [{ id: apcLocationId }] = await t.db
    .select({ id: locations.id })
    .from(locations)
    .where(eq(locations.organizationId, apcId));
  [{ id: betaLocationId }] = await t.db
    .select({ id: locations.id })
    .from(locations)
    .where(eq(locations.organizationId, betaId));
  catalogueModelId = (await machineByName(t.db, apcId, "Black Rose")).modelId;
  admin = await signedIn(server, "admin@dev.local");
  member = await signedIn(server, "member@dev.local");
  betaAdmin = await signedIn(server, "admin@beta.local", "beta");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("creating machines", () => {
  it("an admin adds a machine; the name defaults to the model name and the owner is a member", async () => {
    const memberId = await userIdOf(t.db, "member@dev.local");
    const before = await machineCount(apcId);
    const res = await admin.post("/machines/new", {
      name: "",
      modelId: catalogueModelId,
      locationId: apcLocationId,
      ownerId: memberId,
    });
    expect(res.status).toBe(302);
    const row = await machineRow(createdId(res.location));
    expect(row).toMatchObject({
      organizationId: apcId,
      modelId: catalogueModelId,
      locationId: apcLocationId,
      ownerId: memberId,
    });
    const [model] = await t.db.select({ name: models.name }).from(models).where(eq(models.id, catalogueModelId));
    expect(row!.name).toBe(model.name);
    expect(row!.qrCodeGeneratedAt).toBeInstanceOf(Date);
    expect(await machineCount(apcId)).toBe(before + 1);

    const page = await admin.get(res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Machine added");
  });

  it("refuses an owner who is not a member, a location or custom model of another organization (400, nothing stored)", async () => {
    const before = await machineCount(apcId);
    const outsider = await userIdOf(t.db, "admin@beta.local");
    const badOwner = await admin.post("/machines/new", {
      name: "X",
      modelId: catalogueModelId,
      locationId: apcLocationId,
      ownerId: outsider,
    });
    expect(badOwner.status).toBe(400);
    expect(badOwner.text).toContain("The owner must be a member of this organization.");

    const badLocation = await admin.post("/machines/new", {
      name: "X",
      modelId: catalogueModelId,
      locationId: betaLocationId,
    });
    expect(badLocation.status).toBe(400);

    const noModel = await admin.post("/machines/new", { name: "X", locationId: apcLocationId });
    expect(noModel.status).toBe(400);
    expect(noModel.text).toContain("Choose a model");
    expect(await machineCount(apcId)).toBe(before);
  });

  it("custom models belong to their organization only", async () => {
    const created = await betaAdmin.post("/models/new", {
      name: "Beta Homebrew Special",
      manufacturer: "Garage",
      year: "2024",
      machineType: "ss",
      returnTo: "/machines/new",
    });
    expect(created.status).toBe(302);
    const [custom] = await t.db.select().from(models).where(eq(models.name, "Beta Homebrew Special"));
    expect(custom).toMatchObject({ isCustom: true, organizationId: betaId, manufacturer: "Garage", year: 2024 });
    expect(created.location).toBe(`/machines/new?modelId=${custom.id}`);

    expect((await betaAdmin.get("/machines/new")).text).toContain("Beta Homebrew Special");
    const apcPicker = await admin.get(`/machines/new?modelq=Homebrew&modelId=${custom.id}`);
    expect(apcPicker.status).toBe(200);
    expect(apcPicker.text).not.toContain("Beta Homebrew Special");

    const before = await machineCount(apcId);
    const res = await admin.post("/machines/new", { name: "", modelId: custom.id, locationId: apcLocationId });
    expect(res.status).toBe(400);
    expect(await machineCount(apcId)).toBe(before);

    const bad = await admin.post("/models/new", { name: "", year: "1850" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a year between 1900");
  });

  it("members without machine:edit cannot add machines or models; anonymous visitors are sent to sign in", async () => {
    expect((await member.get("/machines/new")).status).toBe(403);
    const before = await machineCount(apcId);
    expect((await member.post("/machines/new", { modelId: catalogueModelId, locationId: apcLocationId })).status).toBe(
      403,
    );
    expect((await member.post("/models/new", { name: "Nope" })).status).toBe(403);
    expect(await machineCount(apcId)).toBe(before);
    const anonymous = await server.client({ org: "apc" }).get("/machines/new");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });
});

describe("editing and deleting machines", () => {
  it("an admin edits name, location and owner; a non-member owner is refused", async () => {
    const m = await machineByName(t.db, apcId, "Sea Ray");
    const keith = await userIdOf(t.db, "keith.elwin@pinpoint.dev");
    const res = await admin.post(`/machines/${m.id}`, {
      intent: "update",
      name: "Sea Ray #1",
      modelId: m.modelId,
      locationId: apcLocationId,
      ownerId: keith,
    });
    expect(res.status).toBe(302);
    expect(await machineRow(m.id)).toMatchObject({ name: "Sea Ray #1", ownerId: keith });

    const outsider = await userIdOf(t.db, "admin@beta.local");
    const bad = await admin.post(`/machines/${m.id}`, {
      intent: "update",
      name: "Hacked",
      modelId: m.modelId,
      locationId: apcLocationId,
      ownerId: outsider,
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("The owner must be a member of this organization.");
    expect(await machineRow(m.id)).toMatchObject({ name: "Sea Ray #1", ownerId: keith });

    const cleared = await admin.post(`/machines/${m.id}`, {
      intent: "update",
      name: "Sea Ray #1",
      modelId: m.modelId,
      locationId: apcLocationId,
      ownerId: "",
    });
    expect(cleared.status).toBe(302);
    expect((await machineRow(m.id))!.ownerId).toBeNull();
  });

  it("members without machine:edit cannot edit (403); the owner may change their own notification toggles", async () => {
    const memberId = await userIdOf(t.db, "member@dev.local");
    const [owned] = await t.db
      .select()
      .from(machines)
      .where(and(eq(machines.organizationId, apcId), eq(machines.ownerId, memberId)))
      .limit(1);
    expect(owned).toBeTruthy();
    const edit = await member.post(`/machines/${owned.id}`, {
      intent: "update",
      name: "Mine now",
      modelId: owned.modelId,
      locationId: owned.locationId,
    });
    expect(edit.status).toBe(403);
    expect((await machineRow(owned.id))!.name).toBe(owned.name);

    const toggles = await member.post(`/machines/${owned.id}`, {
      intent: "notifications",
      ownerNotificationsEnabled: "on",
      notifyOnStatusChanges: "on",
    });
    expect(toggles.status).toBe(302);
    expect(await machineRow(owned.id)).toMatchObject({
      ownerNotificationsEnabled: true,
      notifyOnNewIssues: false,
      notifyOnStatusChanges: true,
      notifyOnComments: false,
    });

    const [other] = await t.db
      .select()
      .from(machines)
      .where(and(eq(machines.organizationId, apcId), eq(machines.name, "Cleopatra")));
    if (other.ownerId !== memberId) {
      expect((await member.post(`/machines/${other.id}`, { intent: "notifications" })).status).toBe(403);
    }
  });

  it("a machine with issues cannot be deleted (clear message); one without issues can", async () => {
    const withIssues = await machineByName(t.db, apcId, "Cleopatra");
    const [n] = await t.db.select({ n: count() }).from(issues).where(eq(issues.machineId, withIssues.id));
    expect(Number(n.n)).toBeGreaterThan(0);
    const refused = await admin.post(`/machines/${withIssues.id}`, { intent: "delete", confirm: "yes" });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/has \d+ issues? and cannot be deleted/);
    expect(await machineRow(withIssues.id)).not.toBeNull();

    const created = await admin.post("/machines/new", {
      name: "Spare",
      modelId: catalogueModelId,
      locationId: apcLocationId,
    });
    const id = createdId(created.location);
    expect((await admin.post(`/machines/${id}`, { intent: "delete" })).status).toBe(400);
    expect((await member.post(`/machines/${id}`, { intent: "delete", confirm: "yes" })).status).toBe(403);
    expect(await machineRow(id)).not.toBeNull();
    const deleted = await admin.post(`/machines/${id}`, { intent: "delete", confirm: "yes" });
    expect(deleted.status).toBe(302);
    expect(await machineRow(id)).toBeNull();
    expect((await admin.get(`/machines/${id}`)).status).toBe(404);
  });

  it("anonymous visitors of a machine detail URL go to the public page", async () => {
    const m = await machineByName(t.db, apcId, "Xenon");
    const res = await server.client({ org: "apc" }).get(`/machines/${m.id}`);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/m/${m.id}`);
  });
});

describe("locations", () => {
  it("create, validate, edit; delete refused while machines are there, allowed when empty", async () => {
    const bad = await admin.post("/locations/new", { name: "", website: "not a url", pinballMapId: "-3" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a web address");
    const [{ n: before }] = await t.db
      .select({ n: count() })
      .from(locations)
      .where(eq(locations.organizationId, apcId));

    const res = await admin.post("/locations/new", {
      name: "Back Bar",
      street: "1 Main St",
      city: "Austin",
      state: "TX",
      zip: "78701",
      phone: "+1 512 555 0100",
      website: "backbar.example.com",
      description: "Second room",
      pinballMapId: "1234",
    });
    expect(res.status).toBe(302);
    const id = res.location!.match(/^\/locations\/([^?]+)\?created=1$/)![1];
    const [row] = await t.db.select().from(locations).where(eq(locations.id, id));
    expect(row).toMatchObject({
      organizationId: apcId,
      name: "Back Bar",
      website: "https://backbar.example.com/",
      pinballMapId: 1234,
    });

    const edit = await admin.post(`/locations/${id}`, { intent: "update", name: "Back Room", city: "Austin" });
    expect(edit.status).toBe(302);
    const [edited] = await t.db.select().from(locations).where(eq(locations.id, id));
    expect(edited).toMatchObject({ name: "Back Room", street: null, website: null });

    // A machine there blocks the delete.
    const m = await admin.post("/machines/new", { name: "Guest game", modelId: catalogueModelId, locationId: id });
    const machineId = createdId(m.location);
    const refused = await admin.post(`/locations/${id}`, { intent: "delete", confirm: "yes" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("This location still has 1 machine.");
    expect((await t.db.select().from(locations).where(eq(locations.id, id))).length).toBe(1);

    await admin.post(`/machines/${machineId}`, { intent: "delete", confirm: "yes" });
    const deleted = await admin.post(`/locations/${id}`, { intent: "delete", confirm: "yes" });
    expect(deleted.status).toBe(302);
    const [{ n: after }] = await t.db.select({ n: count() }).from(locations).where(eq(locations.organizationId, apcId));
    expect(Number(after)).toBe(Number(before));
  });

  it("members cannot create, edit or delete locations", async () => {
    expect((await member.post("/locations/new", { name: "Nope" })).status).toBe(403);
    expect((await member.post(`/locations/${apcLocationId}`, { intent: "update", name: "Nope" })).status).toBe(403);
    expect((await member.post(`/locations/${apcLocationId}`, { intent: "delete", confirm: "yes" })).status).toBe(403);
    const [row] = await t.db.select({ name: locations.name }).from(locations).where(eq(locations.id, apcLocationId));
    expect(row.name).toBe("Austin Pinball Collective");
  });

  it("lists locations with machine and open-issue counts, publicly", async () => {
    const home = await server.client({ org: "apc" }).get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Austin Pinball Collective");
    expect(visible(home.text)).toMatch(/\d+ machines · \d+ open issues/);
    const list = await server.client({ org: "apc" }).get("/locations");
    expect(list.status).toBe(200);
    const detail = await server.client({ org: "apc" }).get(`/locations/${apcLocationId}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("8777 Research Blvd");
    expect(detail.text).not.toContain("Delete location");
  });
});

describe("machine lists", () => {
  it("filters by text, status, location and owner; paginates", async () => {
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    const xenon = await machineByName(t.db, apcId, "Xenon");
    const q = await admin.get("/machines?q=cleo");
    expect(q.status).toBe(200);
    expect(q.text).toContain(`href="/machines/${cleo.id}"`);
    expect(q.text).not.toContain(`href="/machines/${xenon.id}"`);

    const page1 = await admin.get("/machines");
    expect(visible(page1.text)).toMatch(/Showing 1–25 of \d+/);
    const page2 = await admin.get("/machines?page=2");
    expect(page2.status).toBe(200);
    expect(visible(page2.text)).toMatch(/Showing 26–/);

    const gary = await userIdOf(t.db, "gary.stern@pinpoint.dev");
    const owned = await t.db.select({ name: machines.name }).from(machines).where(eq(machines.ownerId, gary));
    const byOwner = await admin.get(`/machines?owner=${gary}`);
    for (const m of owned) expect(byOwner.text).toContain(m.name.replace(/'/g, "&#x27;"));

    for (const status of ["playable", "degraded", "down"]) {
      expect((await admin.get(`/machines?status=${status}`)).status).toBe(200);
    }
    expect((await admin.get(`/machines?location=${betaLocationId}`)).text).toContain(
      "No machine matches these filters.",
    );
    expect((await admin.get("/machines?status=bogus&page=-5")).status).toBe(200);
  });

  it("anonymous visitors see the list without owners", async () => {
    const res = await server.client({ org: "apc" }).get("/machines");
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("Dev Member");
    expect(res.text).not.toContain(">Owner<");
  });
});

describe("cross-tenant", () => {
  it("beta's admin cannot read or change apc machines and locations by id (404, nothing changed)", async () => {
    const m = await machineByName(t.db, apcId, "Funhouse");
    expect((await betaAdmin.get(`/machines/${m.id}`)).status).toBe(404);
    expect((await betaAdmin.get(`/m/${m.id}`)).status).toBe(404);
    expect((await betaAdmin.get(`/locations/${apcLocationId}`)).status).toBe(404);

    const update = await betaAdmin.post(`/machines/${m.id}`, {
      intent: "update",
      name: "Stolen",
      modelId: m.modelId,
      locationId: betaLocationId,
    });
    expect(update.status).toBe(404);
    const del = await betaAdmin.post(`/machines/${m.id}`, { intent: "delete", confirm: "yes" });
    expect(del.status).toBe(404);
    const toggles = await betaAdmin.post(`/machines/${m.id}`, { intent: "notifications" });
    expect(toggles.status).toBe(404);
    expect(await machineRow(m.id)).toMatchObject({
      name: m.name,
      organizationId: apcId,
      locationId: m.locationId,
      ownerNotificationsEnabled: m.ownerNotificationsEnabled,
    });

    // A beta machine cannot be moved into apc's location either.
    const betaFunhouse = await machineByName(t.db, betaId, "Funhouse");
    const move = await betaAdmin.post(`/machines/${betaFunhouse.id}`, {
      intent: "update",
      name: "Funhouse",
      modelId: betaFunhouse.modelId,
      locationId: apcLocationId,
    });
    expect(move.status).toBe(400);
    expect((await machineRow(betaFunhouse.id))!.locationId).toBe(betaLocationId);

    const locUpdate = await betaAdmin.post(`/locations/${apcLocationId}`, { intent: "update", name: "Stolen" });
    expect(locUpdate.status).toBe(404);
    const locDelete = await betaAdmin.post(`/locations/${apcLocationId}`, { intent: "delete", confirm: "yes" });
    expect(locDelete.status).toBe(404);
    const [loc] = await t.db.select({ name: locations.name }).from(locations).where(eq(locations.id, apcLocationId));
    expect(loc.name).toBe("Austin Pinball Collective");

    const betaList = await betaAdmin.get("/machines");
    expect(betaList.text).not.toContain("Cleopatra");
    expect(betaList.text.match(/href="\/machines\/c[a-z0-9]{20,}"/g)?.length).toBe(5);
  });
});
