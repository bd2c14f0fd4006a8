/**
 * Collections on a real database (demo seed: apc with its 41 Pinball Map machines, beta with 5) and over real HTTP:
 * seeded types, automatic generation (manufacturer / era) and refresh after machine changes, manual membership
 * rules (org + location validation, all-or-nothing), public browsing, and tenant isolation (beta's admin can neither
 * see nor change apc's collections, nor put apc's machines into beta's collections: 404 and nothing changed).
 */
import fs from "node:fs";
import path from "node:path";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Actor } from "~/use-cases/actor";
import { regenerateAutoCollections, updateCollectionType } from "~/use-cases/collection-types.server";
import { createManualCollection, updateCollectionMachines } from "~/use-cases/collections.server";
import { isFailure, type FailureCode } from "../../core/failure";
import {
  getCollection,
  getPublicCollection,
  listAdminCollections,
  listCollectionMachineIds,
  listCollectionTypes,
  listCollectionsForFilter,
  listPublicCollections,
} from "../../db/queries/collections.server";
import {
  auditLogs,
  collectionMachines,
  collections,
  collectionTypes,
  locations,
  machines,
  models,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const fixture = JSON.parse(
  fs.readFileSync(path.resolve("tests/fixtures/pinballmap/location_26454_machine_details.json"), "utf8"),
) as { machines: { name: string; manufacturer: string; year: number }[] };

let t: TestDb;
let server: TestServer;
let apc: string;
let beta: string;
/** Admins of apc and beta, for calling the use cases directly. */
let apcAdmin: Actor;
let betaAdmin: Actor;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  beta = await orgIdOf(t.db, "beta");
  apcAdmin = await actorFor(t.db, apc);
  betaAdmin = await actorFor(t.db, beta);
  server = await startTestServer(t.db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

async function typeId(org: string, name: string): Promise<string> {
  const [row] = await t.db
    .select({ id: collectionTypes.id })
    .from(collectionTypes)
    .where(and(eq(collectionTypes.organizationId, org), eq(collectionTypes.name, name)));
  return row.id;
}

async function machineIdsOf(org: string, limit = 100): Promise<string[]> {
  const rows = await t.db
    .select({ id: machines.id })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .where(eq(machines.organizationId, org))
    .orderBy(asc(models.name))
    .limit(limit);
  return rows.map((r) => r.id);
}

async function mainLocationId(org: string): Promise<string> {
  const [row] = await t.db
    .select({ id: locations.id })
    .from(locations)
    .where(eq(locations.organizationId, org))
    .orderBy(asc(locations.createdAt))
    .limit(1);
  return row.id;
}

/** Everything collections can change, as comparable data (all organizations). */
async function snapshot() {
  const types = await t.db.select().from(collectionTypes).orderBy(asc(collectionTypes.id));
  const cols = await t.db.select().from(collections).orderBy(asc(collections.id));
  const members = await t.db
    .select()
    .from(collectionMachines)
    .orderBy(asc(collectionMachines.collectionId), asc(collectionMachines.machineId));
  return { types, cols, members };
}

async function expectFailure(p: Promise<unknown>, code: FailureCode, field = "form") {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isFailure(error), String(error)).toBe(true);
  if (!isFailure(error)) return;
  expect(error.code).toBe(code);
  expect(Object.keys(error.fields)).toEqual([field]);
}

const addMachines = (actor: Actor, collectionId: string, ids: string[]) =>
  updateCollectionMachines(actor, collectionId, { add: ids, remove: [] });
const removeMachines = (actor: Actor, collectionId: string, ids: string[]) =>
  updateCollectionMachines(actor, collectionId, { add: [], remove: ids });

function countBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) {
    const k = key(i);
    if (k) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

describe("collection types", () => {
  it("are seeded per organization: Rooms (manual, on), Manufacturer and Era (automatic, off)", async () => {
    const types = await listCollectionTypes(t.db, apc);
    expect(types.map((x) => [x.name, x.isAutoGenerated, x.isEnabled, x.sourceField, x.sortOrder])).toEqual([
      ["Rooms", false, true, null, 1],
      ["Manufacturer", true, false, "manufacturer", 2],
      ["Era", true, false, "year", 3],
    ]);
    expect((await listCollectionTypes(t.db, beta)).map((x) => x.name)).toEqual(["Rooms", "Manufacturer", "Era"]);
  });

  it("disabled automatic types generate nothing", async () => {
    expect(await regenerateAutoCollections(apcAdmin)).toEqual({ generated: 0, updated: 0, removed: 0, unchanged: 0 });
    expect(await listAdminCollections(t.db, apc)).toEqual([]);
  });
});

describe("automatic collections", () => {
  it("enabling Manufacturer creates one org-wide collection per manufacturer with its machines", async () => {
    const { refresh } = await updateCollectionType(apcAdmin, await typeId(apc, "Manufacturer"), { isEnabled: true });
    const expected = countBy(fixture.machines, (m) => m.manufacturer);
    expect(refresh?.generated).toBe(expected.size);
    const cols = (await listAdminCollections(t.db, apc)).filter((c) => c.typeName === "Manufacturer");
    expect(new Map(cols.map((c) => [c.name, c.machineCount]))).toEqual(expected);
    for (const c of cols) {
      expect(c.locationId).toBeNull();
      expect(c.isManual).toBe(false);
      expect(c.filterCriteria).toEqual({ manufacturer: c.name });
    }
    // Listed alphabetically.
    expect(cols.map((c) => c.name)).toEqual([...expected.keys()].sort((a, b) => a.localeCompare(b)));
  });

  it("enabling Era creates the non-empty decades 1970s…2020s (the 1968 Domino is in none)", async () => {
    const { refresh } = await updateCollectionType(apcAdmin, await typeId(apc, "Era"), { isEnabled: true });
    const eras = (await listAdminCollections(t.db, apc)).filter((c) => c.typeName === "Era");
    const expected = countBy(fixture.machines, (m) =>
      m.year >= 1970 && m.year <= 2029 ? `${Math.floor(m.year / 10) * 10}s` : null,
    );
    expect(refresh?.generated).toBe(expected.size);
    expect(eras.map((e) => e.name)).toEqual(["1970s", "1980s", "1990s", "2000s", "2010s", "2020s"]);
    expect(new Map(eras.map((e) => [e.name, e.machineCount]))).toEqual(expected);
    expect(eras.reduce((n, e) => n + e.machineCount, 0)).toBe(40);
    expect(eras[1].filterCriteria).toEqual({ yearStart: 1980, yearEnd: 1989 });
  });

  it("refresh is idempotent", async () => {
    const r = await regenerateAutoCollections(apcAdmin);
    expect(r.generated + r.updated + r.removed).toBe(0);
    expect(r.unchanged).toBeGreaterThan(0);
  });

  it("follows machine changes: new manufacturer appears, era counts move, empty collections disappear", async () => {
    const location = await mainLocationId(apc);
    const [model] = await t.db
      .insert(models)
      .values({ name: "Test Title", manufacturer: "Data East", year: 1992, opdbId: "GTest-MTest1" })
      .returning({ id: models.id });
    const [machine] = await t.db
      .insert(machines)
      .values({ name: "Test Title", organizationId: apc, locationId: location, modelId: model.id })
      .returning({ id: machines.id });

    const nineties = async () => (await listAdminCollections(t.db, apc)).find((c) => c.name === "1990s")!.machineCount;
    const before = await nineties();
    const added = await regenerateAutoCollections(apcAdmin);
    expect(added.generated).toBe(1); // Data East
    expect(added.updated).toBe(1); // 1990s
    const dataEast = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Data East")!;
    expect(await listCollectionMachineIds(t.db, apc, dataEast.id)).toEqual([machine.id]);
    expect(await nineties()).toBe(before + 1);

    // Model change: the machine moves to another manufacturer / era.
    const [bally] = await t.db.select({ id: models.id }).from(models).where(eq(models.opdbId, "G42Pk-MZe2e")); // Xenon, Bally 1979
    await t.db.update(machines).set({ modelId: bally.id }).where(eq(machines.id, machine.id));
    const moved = await regenerateAutoCollections(apcAdmin);
    expect(moved.removed).toBe(1); // Data East is empty now
    expect(await getCollection(t.db, apc, dataEast.id)).toBeNull();
    expect(await nineties()).toBe(before);
    const ballyCol = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Bally")!;
    expect(await listCollectionMachineIds(t.db, apc, ballyCol.id)).toContain(machine.id);

    // Deletion: the membership goes with the machine, refresh keeps everything consistent.
    await t.db.delete(machines).where(eq(machines.id, machine.id));
    await t.db.delete(models).where(eq(models.id, model.id));
    await regenerateAutoCollections(apcAdmin);
    expect(await listCollectionMachineIds(t.db, apc, ballyCol.id)).not.toContain(machine.id);
  });

  it("a disabled type keeps its collections out of public pages and filters", async () => {
    await updateCollectionType(apcAdmin, await typeId(apc, "Era"), { isEnabled: false });
    const groups = await listPublicCollections(t.db, apc);
    expect(groups.map((g) => g.type.name)).toEqual(["Manufacturer"]);
    const era = (await listAdminCollections(t.db, apc)).find((c) => c.name === "1980s")!;
    expect(await getPublicCollection(t.db, apc, era.id)).toBeNull();
    expect((await listCollectionsForFilter(t.db, apc)).some((c) => c.id === era.id)).toBe(false);
    await updateCollectionType(apcAdmin, await typeId(apc, "Era"), { isEnabled: true });
  });

  it("automatic collections cannot be edited by hand", async () => {
    const bally = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Bally")!;
    const [machine] = await machineIdsOf(apc, 1);
    await expectFailure(addMachines(apcAdmin, bally.id, [machine]), "invalid");
    await expectFailure(
      createManualCollection(apcAdmin, { name: "Sneaky", typeId: await typeId(apc, "Manufacturer") }),
      "invalid",
      "typeId",
    );
  });
});

describe("manual collections", () => {
  let frontRoom: string;
  let location: string;

  it("are created in a manual type, optionally tied to one of the org's locations", async () => {
    location = await mainLocationId(apc);
    frontRoom = (
      await createManualCollection(apcAdmin, {
        name: "Front Room",
        typeId: await typeId(apc, "Rooms"),
        locationId: location,
      })
    ).id;
    const c = await getCollection(t.db, apc, frontRoom);
    expect(c).toMatchObject({ name: "Front Room", isManual: true, locationId: location, machineCount: 0 });
    // Same name at the same location: refused (case-insensitive), on the name field like any input the form can fix.
    await expectFailure(
      createManualCollection(apcAdmin, {
        name: "front room",
        typeId: await typeId(apc, "Rooms"),
        locationId: location,
      }),
      "invalid",
      "name",
    );
    // Another org's location or type: refused.
    await expectFailure(
      createManualCollection(apcAdmin, {
        name: "X",
        typeId: await typeId(apc, "Rooms"),
        locationId: await mainLocationId(beta),
      }),
      "invalid",
      "locationId",
    );
    await expectFailure(
      createManualCollection(apcAdmin, { name: "X", typeId: await typeId(beta, "Rooms") }),
      "invalid",
      "typeId",
    );
  });

  it("add and remove machines of the org (duplicates ignored)", async () => {
    const ids = await machineIdsOf(apc, 3);
    expect(await addMachines(apcAdmin, frontRoom, ids)).toEqual({ added: 3, removed: 0 });
    expect(await addMachines(apcAdmin, frontRoom, [ids[0], ids[0]])).toEqual({ added: 0, removed: 0 });
    expect(await removeMachines(apcAdmin, frontRoom, [ids[2]])).toEqual({ added: 0, removed: 1 });
    expect(await listCollectionMachineIds(t.db, apc, frontRoom)).toEqual([ids[0], ids[1]].sort());
    // add + remove in one go (the checkbox form)
    expect(await updateCollectionMachines(apcAdmin, frontRoom, { add: [ids[2]], remove: [ids[1]] })).toEqual({
      added: 1,
      removed: 1,
    });
    expect(await listCollectionMachineIds(t.db, apc, frontRoom)).toEqual([ids[0], ids[2]].sort());
  });

  it("validate every machine id: unknown or another org's id fails the whole request", async () => {
    const before = await snapshot();
    const [own] = await machineIdsOf(apc, 40).then((l) => l.slice(-1));
    const [foreign] = await machineIdsOf(beta, 1);
    await expectFailure(addMachines(apcAdmin, frontRoom, [own, foreign]), "not_found");
    await expectFailure(addMachines(apcAdmin, frontRoom, [own, "does-not-exist"]), "not_found");
    expect(await snapshot()).toEqual(before);
  });

  it("only take machines at the collection's location; org-wide ones take any", async () => {
    const [second] = await t.db
      .insert(locations)
      .values({ name: "Annex", organizationId: apc })
      .returning({ id: locations.id });
    const [model] = await t.db.select({ id: models.id }).from(models).where(eq(models.opdbId, "G5Dz7-Mq139"));
    const [annexMachine] = await t.db
      .insert(machines)
      .values({ name: "Funhouse #2", organizationId: apc, locationId: second.id, modelId: model.id })
      .returning({ id: machines.id });
    await regenerateAutoCollections(apcAdmin);
    await expectFailure(addMachines(apcAdmin, frontRoom, [annexMachine.id]), "invalid", "machineIds");
    const favourites = await createManualCollection(apcAdmin, {
      name: "Staff picks",
      typeId: await typeId(apc, "Rooms"),
    });
    const [mainMachine] = await machineIdsOf(apc, 1);
    expect(await addMachines(apcAdmin, favourites.id, [annexMachine.id, mainMachine])).toEqual({
      added: 2,
      removed: 0,
    });

    // The location page's collection filter: counts only machines at that location.
    const annexFilters = await listCollectionsForFilter(t.db, apc, { locationId: second.id });
    expect(annexFilters.find((c) => c.name === "Williams")?.machineCount).toBe(1);
    expect(annexFilters.some((c) => c.name === "Front Room")).toBe(false);

    // Filters for the machine list / location view.
    const filters = await listCollectionsForFilter(t.db, apc, { locationId: location });
    expect(filters.some((f) => f.name === "Front Room" && f.machineCount === 2)).toBe(true);
    expect(filters.some((f) => f.name === "Staff picks" && f.machineCount === 1)).toBe(true);
    expect(filters.every((f) => f.machineCount > 0)).toBe(true);

    await t.db.delete(collections).where(eq(collections.id, favourites.id));
    await t.db.delete(machines).where(eq(machines.id, annexMachine.id));
    await t.db.delete(locations).where(eq(locations.id, second.id));
    await regenerateAutoCollections(apcAdmin);
  });
});

describe("tenant isolation (query level)", () => {
  it("another organization's collections, types and machines behave as missing", async () => {
    const apcCols = await listAdminCollections(t.db, apc);
    const frontRoom = apcCols.find((c) => c.name === "Front Room")!;
    const betaRoom = await createManualCollection(betaAdmin, {
      name: "Beta Room",
      typeId: await typeId(beta, "Rooms"),
    });
    const before = await snapshot();
    expect(await getCollection(t.db, beta, frontRoom.id)).toBeNull();
    expect(await listCollectionMachineIds(t.db, beta, frontRoom.id)).toEqual([]);
    expect(await getPublicCollection(t.db, beta, frontRoom.id)).toBeNull();
    await expectFailure(addMachines(betaAdmin, frontRoom.id, await machineIdsOf(beta, 1)), "not_found");
    await expectFailure(addMachines(betaAdmin, betaRoom.id, await machineIdsOf(apc, 1)), "not_found");
    await expectFailure(updateCollectionType(betaAdmin, await typeId(apc, "Rooms"), { isEnabled: false }), "not_found");
    expect(await snapshot()).toEqual(before);
    expect((await listAdminCollections(t.db, beta)).map((c) => c.name)).toEqual(["Beta Room"]);
  });
});

describe("use cases check permissions themselves (whoever calls them)", () => {
  it("types need organization:manage, manual collections location:edit; a refusal writes nothing", async () => {
    const editor = await actorFor(t.db, apc, ["location:edit", "machine:view"]);
    const manager = await actorFor(t.db, apc, ["organization:manage"]);
    const viewer = await actorFor(t.db, apc, ["machine:view"]);
    const rooms = await typeId(apc, "Rooms");
    const frontRoom = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Front Room")!;
    const before = await snapshot();
    await expectFailure(regenerateAutoCollections(editor), "forbidden");
    await expectFailure(updateCollectionType(editor, rooms, { isEnabled: false }), "forbidden");
    await expectFailure(createManualCollection(manager, { name: "Not mine", typeId: rooms }), "forbidden");
    await expectFailure(updateCollectionMachines(viewer, frontRoom.id, { add: [], remove: [] }), "forbidden");
    expect(await snapshot()).toEqual(before);
  });

  it("writes are audited with who acted and from where", async () => {
    const rooms = await typeId(apc, "Rooms");
    const created = await createManualCollection(
      { ...apcAdmin, ipAddress: "203.0.113.7" },
      { name: "Audited", typeId: rooms },
    );
    const [row] = await t.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.organizationId, apc), eq(auditLogs.targetId, created.id)));
    expect(row).toMatchObject({ action: "collection.created", targetType: "Collection", ipAddress: "203.0.113.7" });
    await t.db.delete(collections).where(eq(collections.id, created.id));
  });
});

describe("over HTTP", () => {
  let admin: TestClient;
  let betaAdmin: TestClient;

  beforeAll(async () => {
    admin = server.client({ org: "apc" });
    await admin.login("admin@dev.local");
    betaAdmin = server.client({ org: "beta" });
    await betaAdmin.login("admin@beta.local");
  });

  it("public list and collection pages work without an account", async () => {
    const anon = server.client({ org: "apc" });
    const list = await anon.get("/collections");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Front Room");
    expect(list.text).toContain("Manufacturer");
    const bally = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Bally")!;
    const page = await anon.get(`/collections/${bally.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Xenon");
    const [xenon] = await t.db
      .select({ id: machines.id })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .where(and(eq(machines.organizationId, apc), eq(models.opdbId, "G42Pk-MZe2e")));
    expect(page.text).toContain(`/m/${xenon.id}`);
    expect(page.text).toContain("Pinball Map");
    // Another org's collection id, a junk id and a page number out of range never 500.
    const betaRoom = (await listAdminCollections(t.db, beta))[0];
    expect((await anon.get(`/collections/${betaRoom.id}`)).status).toBe(404);
    expect((await anon.get(`/collections/${"x".repeat(300)}`)).status).toBe(404);
    expect((await anon.get(`/collections/${bally.id}?page=abc`)).status).toBe(200);
    expect((await anon.get(`/collections/${bally.id}?page=999`)).text).toContain("No machines on this page.");
  });

  it("admin pages need a permission: anonymous → sign in, plain member → 403", async () => {
    const anon = server.client({ org: "apc" });
    const res = await anon.get("/admin/collections");
    expect(res.status).toBe(302);
    expect(res.location).toContain("/login?redirectTo=");
    const member = server.client({ org: "apc" });
    await member.login("member@dev.local");
    expect((await member.get("/admin/collections")).status).toBe(403);
    const before = await snapshot();
    expect((await member.post("/admin/collections", { intent: "regenerate" })).status).toBe(403);
    expect(
      (
        await member.post("/admin/collections", {
          intent: "collection-create",
          name: "Nope",
          typeId: await typeId(apc, "Rooms"),
        })
      ).status,
    ).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("an admin creates a manual collection and picks machines with checkboxes", async () => {
    const page = await admin.get("/admin/collections");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Collection types");

    const created = await admin.post("/admin/collections", {
      intent: "collection-create",
      name: "Back Bar",
      typeId: await typeId(apc, "Rooms"),
      locationId: await mainLocationId(apc),
      description: "",
    });
    expect(created.status).toBe(200);
    expect(created.text).toContain("Back Bar");
    const backBar = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Back Bar")!;

    const detail = await admin.get(`/admin/collections/${backBar.id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('name="machineIds"');

    const shown = await machineIdsOf(apc, 41);
    const saved = await admin.post(`/admin/collections/${backBar.id}`, {
      intent: "machines",
      machineIds: shown.slice(0, 4),
      shownIds: shown,
    });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain("4 added");
    expect(await listCollectionMachineIds(t.db, apc, backBar.id)).toEqual(shown.slice(0, 4).sort());

    // Untick one, keep three.
    const again = await admin.post(`/admin/collections/${backBar.id}`, {
      intent: "machines",
      machineIds: shown.slice(1, 4),
      shownIds: shown,
    });
    expect(again.text).toContain("1 removed");
    expect(await listCollectionMachineIds(t.db, apc, backBar.id)).toEqual(shown.slice(1, 4).sort());

    const renamed = await admin.post(`/admin/collections/${backBar.id}`, {
      intent: "rename",
      name: "Back Bar Corner",
      description: "By the bar",
    });
    expect(renamed.status).toBe(200);
    expect((await getCollection(t.db, apc, backBar.id))?.name).toBe("Back Bar Corner");

    const deleted = await admin.post(`/admin/collections/${backBar.id}`, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.location).toContain("/admin/collections?deleted=");
    expect(await getCollection(t.db, apc, backBar.id)).toBeNull();
  });

  it("bad input is a 400 with a message, never a 500, and writes nothing", async () => {
    const before = await snapshot();
    const rooms = await typeId(apc, "Rooms");
    const empty = await admin.post("/admin/collections", { intent: "collection-create", name: "   ", typeId: rooms });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Give it a name");
    const long = await admin.post("/admin/collections", {
      intent: "collection-create",
      name: "x".repeat(51),
      typeId: rooms,
    });
    expect(long.status).toBe(400);
    const dup = await admin.post("/admin/collections", {
      intent: "collection-create",
      name: "Front Room",
      typeId: rooms,
      locationId: await mainLocationId(apc),
    });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain("already exists");
    expect((await admin.post("/admin/collections", { intent: "nonsense" })).status).toBe(400);
    expect(
      (await admin.post("/admin/collections", { intent: "type-update", typeId: rooms, sortOrder: "-5" })).status,
    ).toBe(400);
    expect(
      (await admin.post("/admin/collections", { intent: "type-update", typeId: rooms, sortOrder: "abc" })).status,
    ).toBe(400);
    const frontRoom = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Front Room")!;
    const tooMany = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    expect(
      (await admin.post(`/admin/collections/${frontRoom.id}`, { intent: "machines", machineIds: tooMany })).status,
    ).toBe(400);
    expect(
      (await admin.post(`/admin/collections/${frontRoom.id}`, { intent: "machines", machineIds: ["nope"] })).status,
    ).toBe(404);
    expect((await admin.post(`/admin/collections/${frontRoom.id}`, { intent: "bogus" })).status).toBe(400);
    const bally = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Bally")!;
    expect((await admin.post(`/admin/collections/${bally.id}`, { intent: "rename", name: "Renamed" })).status).toBe(
      400,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("type settings and regeneration (organization:manage)", async () => {
    const era = await typeId(apc, "Era");
    const saved = await admin.post("/admin/collections", {
      intent: "type-update",
      typeId: era,
      displayName: "Decade",
      description: "When the game came out",
      sortOrder: "7",
    });
    expect(saved.status).toBe(200);
    const [row] = await t.db.select().from(collectionTypes).where(eq(collectionTypes.id, era));
    expect(row).toMatchObject({
      displayName: "Decade",
      description: "When the game came out",
      sortOrder: 7,
      isEnabled: false,
    });
    // Re-enabling regenerates.
    const toggled = await admin.post("/admin/collections", { intent: "type-toggle", typeId: era, enabled: "true" });
    expect(toggled.status).toBe(200);
    expect(toggled.text).toContain("regenerated");
    const regen = await admin.post("/admin/collections", { intent: "regenerate" });
    expect(regen.status).toBe(200);
    expect(regen.text).toContain("0 created");
    // Custom manual type: create, then delete it while empty.
    const created = await admin.post("/admin/collections", { intent: "type-create", name: "Tournament banks" });
    expect(created.status).toBe(200);
    const custom = await typeId(apc, "Tournament banks");
    expect((await admin.post("/admin/collections", { intent: "type-create", name: "tournament BANKS" })).status).toBe(
      400,
    );
    expect((await admin.post("/admin/collections", { intent: "type-delete", typeId: custom })).status).toBe(200);
    expect(
      (await admin.post("/admin/collections", { intent: "type-delete", typeId: await typeId(apc, "Rooms") })).status,
    ).toBe(400);
    expect((await admin.post("/admin/collections", { intent: "type-delete", typeId: era })).status).toBe(400);
  });

  it("beta's admin cannot see or change apc's collections, nor add apc's machines (404, nothing changed)", async () => {
    const frontRoom = (await listAdminCollections(t.db, apc)).find((c) => c.name === "Front Room")!;
    const betaRoom = (await listAdminCollections(t.db, beta)).find((c) => c.name === "Beta Room")!;
    const apcMachines = await machineIdsOf(apc, 2);
    const before = await snapshot();

    expect((await betaAdmin.get(`/admin/collections/${frontRoom.id}`)).status).toBe(404);
    expect((await betaAdmin.get(`/collections/${frontRoom.id}`)).status).toBe(404);
    expect(
      (
        await betaAdmin.post(`/admin/collections/${frontRoom.id}`, {
          intent: "machines",
          machineIds: await machineIdsOf(beta, 1),
          shownIds: [],
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await betaAdmin.post(`/admin/collections/${frontRoom.id}`, {
          intent: "machines",
          machineIds: [],
          shownIds: apcMachines,
        })
      ).status,
    ).toBe(404);
    expect(
      (await betaAdmin.post(`/admin/collections/${frontRoom.id}`, { intent: "rename", name: "Pwned" })).status,
    ).toBe(404);
    expect((await betaAdmin.post(`/admin/collections/${frontRoom.id}`, { intent: "delete" })).status).toBe(404);
    expect(
      (
        await betaAdmin.post(`/admin/collections/${betaRoom.id}`, {
          intent: "machines",
          machineIds: apcMachines,
          shownIds: [],
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await betaAdmin.post("/admin/collections", {
          intent: "type-toggle",
          typeId: await typeId(apc, "Rooms"),
          enabled: "false",
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await betaAdmin.post("/admin/collections", {
          intent: "collection-create",
          name: "Sneaky",
          typeId: await typeId(apc, "Rooms"),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await betaAdmin.post("/admin/collections", {
          intent: "collection-create",
          name: "Sneaky",
          typeId: await typeId(beta, "Rooms"),
          locationId: await mainLocationId(apc),
        })
      ).status,
    ).toBe(400);

    // beta's own admin page lists none of apc's collections.
    const page = await betaAdmin.get("/admin/collections");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(frontRoom.id);
    expect(page.text).not.toContain("Xenon");
    expect(page.text).toContain("Beta Room");
    expect(await snapshot()).toEqual(before);

    // The membership table still only links apc machines to apc collections.
    const leaked = await t.db
      .select({ n: count() })
      .from(collectionMachines)
      .innerJoin(collections, eq(collections.id, collectionMachines.collectionId))
      .innerJoin(collectionTypes, eq(collectionTypes.id, collections.typeId))
      .innerJoin(machines, eq(machines.id, collectionMachines.machineId))
      .where(and(eq(collectionTypes.organizationId, beta), inArray(machines.id, apcMachines)));
    expect(Number(leaked[0].n)).toBe(0);
  });
});
