/**
 * Pinball Map sync against a LOCAL stand-in for pinballmap.com (node:http on 127.0.0.1, port 0) that serves the
 * recorded Austin Pinball Collective listing (tests/fixtures/pinballmap/location_26454_machine_details.json), or
 * fails on demand (HTTP 500, invalid JSON, wrong shape, too slow, connection refused).
 *
 * Part 1 works through the use cases (app/use-cases/pinballmap.server.ts) and the client on a fresh organization
 * without any catalogue models, refusals mapped to the statuses the admin page answers with: preview of an
 * empty location (41 only on Pinball Map), apply (41 models + 41 machines in one go), re-preview (all in sync),
 * checksum protection, only-here machines (never removing one with issues), createMissingModels=false, tenant
 * isolation, and every upstream failure leaving the database exactly as it was.
 * Part 2 goes through the admin route over real HTTP on the demo seed (apc already has the 41 machines).
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { failureStatus } from "~/lib/failure.server";
import { upstreamStatus } from "~/lib/pinballmap-answers.server";
import {
  PinballMapError,
  fetchLocationMachines,
  isPinballMapError,
  type PinballMapErrorKind,
} from "~/lib/pinballmap.server";
import { hit, resetRateLimits } from "~/lib/rate-limit.server";
import { updateCollectionType } from "~/use-cases/collection-types.server";
import {
  PINBALLMAP_RATE_LIMIT,
  applyLocationSync,
  linkLocation,
  pinballMapRateKey,
  previewLocationSync,
  type SyncApplyInput,
} from "~/use-cases/pinballmap.server";
import { isFailure, type FailureCode } from "../../core/failure";
import { listAdminCollections } from "../../db/queries/collections.server";
import {
  enablePinballMapIntegration,
  getPinballMapConfig,
  getSyncStatus,
  upsertPinballMapConfig,
} from "../../db/queries/pinballmap.server";
import {
  collectionMachines,
  collections,
  collectionTypes,
  issueStatuses,
  issues,
  locations,
  machines,
  models,
  pinballMapConfigs,
  priorities,
} from "../../db/schema";
import { seedDatabase, seedOrganization } from "../../db/seed.server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const FIXTURE_TEXT = fs.readFileSync(
  path.resolve("tests/fixtures/pinballmap/location_26454_machine_details.json"),
  "utf8",
);
const FIXTURE = JSON.parse(FIXTURE_TEXT) as { machines: Record<string, unknown>[] };
const PBM_ID = 26454;

// ---------------------------------------------------------------------------------------------------------------
// The stand-in Pinball Map

type Mode = "ok" | "500" | "invalid-json" | "wrong-shape" | "slow" | "html";

const stub = {
  mode: "ok" as Mode,
  /** What "ok" serves; tests may change it. */
  body: FIXTURE_TEXT,
  requests: [] as string[],
};

const pbm = http.createServer((req, res) => {
  stub.requests.push(req.url ?? "");
  const match = /^\/api\/v1\/locations\/(\d+)\/machine_details\.json$/.exec(req.url ?? "");
  if (!match) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"errors":"Not found"}');
    return;
  }
  if (match[1] !== String(PBM_ID)) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"errors":"Failed to find location"}');
    return;
  }
  switch (stub.mode) {
    case "500":
      res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    case "invalid-json":
      res.writeHead(200, { "content-type": "application/json" }).end('{"machines": [ {"id": 1, "name": "Tru');
      return;
    case "wrong-shape":
      res.writeHead(200, { "content-type": "application/json" }).end('{"location": {"id": 26454}, "machines": "none"}');
      return;
    case "html":
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Maintenance</body></html>");
      return;
    case "slow": {
      const timer = setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(stub.body), 4000);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    default:
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(stub.body);
  }
});

let pbmUrl: string;
/** A loopback port nobody listens on (connection refused). */
let closedPortUrl: string;

/** Timeout of the client under test: short only where a timeout is the point (a loaded CI box is slow too). */
const SHORT_TIMEOUT_MS = "400";
const NORMAL_TIMEOUT_MS = "5000";

function serveAs(mode: Mode = "ok", body = FIXTURE_TEXT) {
  stub.mode = mode;
  stub.body = body;
  process.env.PINBALLMAP_BASE_URL = pbmUrl;
  process.env.PINBALLMAP_TIMEOUT_MS = mode === "slow" ? SHORT_TIMEOUT_MS : NORMAL_TIMEOUT_MS;
}

// ---------------------------------------------------------------------------------------------------------------

let t: TestDb;

beforeAll(async () => {
  pbm.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => pbm.once("listening", () => resolve()));
  pbmUrl = `http://127.0.0.1:${(pbm.address() as AddressInfo).port}`;
  const probe = http.createServer();
  probe.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => probe.once("listening", () => resolve()));
  closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  t = await createTestDb();
});

afterAll(async () => {
  pbm.closeAllConnections();
  await new Promise<void>((resolve) => pbm.close(() => resolve()));
  await t?.close();
  delete process.env.PINBALLMAP_BASE_URL;
  delete process.env.PINBALLMAP_TIMEOUT_MS;
});

beforeEach(async () => {
  serveAs("ok");
  await resetRateLimits();
});

/** Everything a sync may write, to prove "nothing changed". */
async function state() {
  const [m] = await t.db.select({ n: count() }).from(machines);
  const [mo] = await t.db.select({ n: count() }).from(models);
  const [c] = await t.db.select({ n: count() }).from(collections);
  const [cm] = await t.db.select({ n: count() }).from(collectionMachines);
  const locs = await t.db
    .select({ id: locations.id, lastSyncAt: locations.lastSyncAt, pinballMapId: locations.pinballMapId })
    .from(locations)
    .orderBy(asc(locations.id));
  return { machines: Number(m.n), models: Number(mo.n), collections: Number(c.n), members: Number(cm.n), locs };
}

type Refusal = { ok: false; status: number; message: string; code?: FailureCode; kind?: PinballMapErrorKind };

/**
 * What a use case call ended with: its value, or the refusal with the status the admin page answers it with (the
 * same mapping the route uses: app/lib/failure.server.ts for Failures, app/lib/pinballmap-answers.server.ts for
 * Pinball Map letting us down).
 */
async function outcomeOf<T>(work: Promise<T>): Promise<{ ok: true; value: T } | Refusal> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    if (isFailure(error))
      return { ok: false, status: failureStatus(error.code), message: error.message, code: error.code };
    if (isPinballMapError(error))
      return { ok: false, status: upstreamStatus(error.kind), message: error.message, kind: error.kind };
    throw error;
  }
}

/** The organization's admin previews / applies / links (use cases called as the admin page calls them). */
async function previewOutcome(organizationId: string, locationId: string) {
  const o = await outcomeOf(previewLocationSync(await actorFor(t.db, organizationId), locationId));
  return o.ok ? { ok: true as const, preview: o.value } : o;
}

async function applyOutcome(
  organizationId: string,
  input: Omit<SyncApplyInput, "remove"> & { removeMachineIds: string[] },
) {
  const { removeMachineIds, ...rest } = input;
  const o = await outcomeOf(
    applyLocationSync(await actorFor(t.db, organizationId), { ...rest, remove: removeMachineIds }),
  );
  return o.ok ? { ok: true as const, result: o.value } : o;
}

async function linkOutcome(organizationId: string, locationId: string, pinballMapId: number | null) {
  const o = await outcomeOf(linkLocation(await actorFor(t.db, organizationId), { locationId, pinballMapId }));
  return o.ok ? { ok: true as const, location: o.value } : o;
}

async function enableType(organizationId: string, typeId: string) {
  await updateCollectionType(await actorFor(t.db, organizationId), typeId, { isEnabled: true });
}

async function machinesAt(locationId: string) {
  return t.db
    .select({ id: machines.id, name: machines.name, modelName: models.name })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .where(eq(machines.locationId, locationId))
    .orderBy(asc(machines.name));
}

// ---------------------------------------------------------------------------------------------------------------

describe("lib and query functions, fresh organization without a catalogue", () => {
  let org: string;
  let other: string;
  let location: string;

  beforeAll(async () => {
    await t.reset();
    org = (await seedOrganization(t.db, { name: "Fresh Arcade", subdomain: "fresh" })).organization.id;
    other = (await seedOrganization(t.db, { name: "Other Arcade", subdomain: "other" })).organization.id;
    [{ id: location }] = await t.db
      .insert(locations)
      .values({ name: "Fresh Hall", organizationId: org })
      .returning({ id: locations.id });
  });

  it("refuses softly before it is set up, without calling Pinball Map", async () => {
    const calls = stub.requests.length;
    expect(await previewOutcome(org, location)).toEqual({
      ok: false,
      status: 400,
      code: "invalid",
      message: "The Pinball Map integration is not enabled.",
    });
    // Setting a Pinball Map id needs the integration enabled.
    expect(await linkOutcome(org, location, PBM_ID)).toMatchObject({ ok: false, status: 400 });
    await enablePinballMapIntegration(t.db, org);
    const noId = await previewOutcome(org, location);
    expect(noId).toMatchObject({ ok: false, status: 400 });
    expect(!noId.ok && noId.message).toContain("has no Pinball Map id");
    expect(await previewOutcome(org, "no-such-location")).toMatchObject({ ok: false, status: 404 });
    expect(stub.requests.length).toBe(calls);
  });

  it("enabling is an upsert: one config row per organization", async () => {
    await enablePinballMapIntegration(t.db, org, { createMissingModels: true });
    await upsertPinballMapConfig(t.db, org, { createMissingModels: true });
    const rows = await t.db.select().from(pinballMapConfigs).where(eq(pinballMapConfigs.organizationId, org));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ apiEnabled: true, autoSyncEnabled: false, createMissingModels: true });
    expect(await getPinballMapConfig(t.db, other)).toBeNull();
  });

  it("sets a location's Pinball Map id (own locations only)", async () => {
    expect(await linkOutcome(org, location, PBM_ID)).toMatchObject({ ok: true, location: { pinballMapId: PBM_ID } });
    const [row] = await t.db.select().from(locations).where(eq(locations.id, location));
    expect(row).toMatchObject({ pinballMapId: PBM_ID, syncEnabled: true, lastSyncAt: null });
    const [foreign] = await t.db
      .insert(locations)
      .values({ name: "Other Hall", organizationId: other })
      .returning({ id: locations.id });
    expect(await linkOutcome(org, foreign.id, 1)).toMatchObject({ ok: false, status: 404 });
  });

  it("the client validates the recorded listing: 41 machines", async () => {
    const lineup = await fetchLocationMachines(PBM_ID);
    expect(lineup.machines).toHaveLength(41);
    expect(lineup.ignored).toEqual([]);
    expect(lineup.sourceUrl).toBe(`${pbmUrl}/api/v1/locations/${PBM_ID}/machine_details.json`);
  });

  it("preview of an empty location: 41 only on Pinball Map, all new catalogue models; nothing written", async () => {
    const before = await state();
    const outcome = await previewOutcome(org, location);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const p = outcome.preview;
    expect(p.counts).toEqual({ inSync: 0, onlyRemote: 41, onlyLocal: 0, removable: 0 });
    expect(p.onlyRemote.every((r) => r.model === "new")).toBe(true);
    expect(p.checksum).toMatch(/^[0-9a-f]{32}$/);
    expect(await state()).toEqual(before);
  });

  it("apply with a stale checksum is refused (409) and writes nothing", async () => {
    const before = await state();
    const outcome = await applyOutcome(org, { locationId: location, checksum: "0".repeat(32), removeMachineIds: [] });
    expect(outcome).toMatchObject({ ok: false, status: 409 });
    expect(await state()).toEqual(before);
  });

  it("apply creates 41 catalogue models and 41 machines in one transaction and stamps lastSyncAt", async () => {
    // Automatic collections are refreshed as part of the sync.
    const [manufacturerType] = await t.db
      .select({ id: collectionTypes.id })
      .from(collectionTypes)
      .where(and(eq(collectionTypes.organizationId, org), eq(collectionTypes.name, "Manufacturer")));
    await enableType(org, manufacturerType.id);

    const preview = await previewOutcome(org, location);
    if (!preview.ok) throw new Error(preview.message);
    const outcome = await applyOutcome(org, {
      locationId: location,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result).toMatchObject({ added: 41, modelsCreated: 41, inSync: 0, removed: 0, skipped: [] });
    const here = await machinesAt(location);
    expect(here).toHaveLength(41);
    expect(here.every((m) => m.name === m.modelName)).toBe(true);
    const [xenon] = await t.db.select().from(models).where(eq(models.opdbId, "G42Pk-MZe2e"));
    expect(xenon).toMatchObject({
      name: "Xenon",
      manufacturer: "Bally",
      year: 1979,
      ipdbId: "2821",
      organizationId: null,
      isCustom: false,
      isActive: true,
    });
    expect(xenon.ipdbLink).toContain("ipdb.org");
    const [loc] = await t.db.select().from(locations).where(eq(locations.id, location));
    expect(loc.lastSyncAt).toBeInstanceOf(Date);
    const manufacturerCollections = (await listAdminCollections(t.db, org)).filter(
      (c) => c.typeName === "Manufacturer",
    );
    expect(manufacturerCollections.reduce((n, c) => n + c.machineCount, 0)).toBe(41);
  });

  it("re-preview: all 41 in sync; applying again adds nothing", async () => {
    const preview = await previewOutcome(org, location);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.counts).toEqual({ inSync: 41, onlyRemote: 0, onlyLocal: 0, removable: 0 });
    const before = await state();
    const again = await applyOutcome(org, {
      locationId: location,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(again).toMatchObject({ ok: true, result: { added: 0, modelsCreated: 0, inSync: 41 } });
    const after = await state();
    expect({ ...after, locs: undefined }).toEqual({ ...before, locs: undefined });
  });

  it("a second location syncs against the now existing catalogue (no new models)", async () => {
    const [second] = await t.db
      .insert(locations)
      .values({ name: "Fresh Annex", organizationId: org, pinballMapId: PBM_ID })
      .returning({ id: locations.id });
    const preview = await previewOutcome(org, second.id);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.counts.onlyRemote).toBe(41);
    expect(preview.preview.onlyRemote.every((r) => r.model === "existing")).toBe(true);
    const modelsBefore = (await state()).models;
    const outcome = await applyOutcome(org, {
      locationId: second.id,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(outcome).toMatchObject({ ok: true, result: { added: 41, modelsCreated: 0 } });
    expect((await state()).models).toBe(modelsBefore);
  });

  it("detects a remote list that changed between preview and apply", async () => {
    const preview = await previewOutcome(org, location);
    if (!preview.ok) throw new Error(preview.message);
    serveAs("ok", JSON.stringify({ machines: FIXTURE.machines.slice(1) }));
    const before = await state();
    const outcome = await applyOutcome(org, {
      locationId: location,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(outcome).toMatchObject({ ok: false, status: 409 });
    expect(!outcome.ok && outcome.message).toContain("changed since the preview");
    expect(await state()).toEqual(before);
  });

  it("only-here machines: listed, removed only when ticked and only without issues", async () => {
    // Pinball Map no longer lists the first two machines of the fixture.
    const [gone1, gone2] = FIXTURE.machines;
    serveAs("ok", JSON.stringify({ machines: FIXTURE.machines.slice(2) }));
    const here = await t.db
      .select({ id: machines.id, opdbId: models.opdbId })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .where(eq(machines.locationId, location));
    const withIssue = here.find((m) => m.opdbId === gone1.opdb_id)!;
    const withoutIssue = here.find((m) => m.opdbId === gone2.opdb_id)!;
    const [status] = await t.db
      .select({ id: issueStatuses.id })
      .from(issueStatuses)
      .where(eq(issueStatuses.organizationId, org))
      .limit(1);
    const [priority] = await t.db
      .select({ id: priorities.id })
      .from(priorities)
      .where(eq(priorities.organizationId, org))
      .limit(1);
    await t.db.insert(issues).values({
      title: "Left flipper weak",
      organizationId: org,
      machineId: withIssue.id,
      statusId: status.id,
      priorityId: priority.id,
    });

    const preview = await previewOutcome(org, location);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.counts).toEqual({ inSync: 39, onlyRemote: 0, onlyLocal: 2, removable: 1 });
    expect(preview.preview.onlyLocal.find((l) => l.id === withIssue.id)).toMatchObject({
      issueCount: 1,
      removable: false,
    });

    // Removing an in-sync machine (or anything not only-here) is refused, nothing changes.
    const inSyncId = preview.preview.inSync[0].machineId;
    const before = await state();
    expect(
      await applyOutcome(org, {
        locationId: location,
        checksum: preview.preview.checksum,
        removeMachineIds: [withoutIssue.id, inSyncId],
      }),
    ).toMatchObject({ ok: false, status: 400 });
    expect(await state()).toEqual(before);

    // Not ticked: both stay.
    const keep = await applyOutcome(org, {
      locationId: location,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(keep).toMatchObject({ ok: true, result: { removed: 0, keptLocal: 2 } });
    expect(await machinesAt(location)).toHaveLength(41);

    // Ticked: the issue-less one goes, the one with an issue is kept regardless.
    const again = await previewOutcome(org, location);
    if (!again.ok) throw new Error(again.message);
    const removed = await applyOutcome(org, {
      locationId: location,
      checksum: again.preview.checksum,
      removeMachineIds: [withIssue.id, withoutIssue.id],
    });
    expect(removed).toMatchObject({ ok: true, result: { removed: 1, keptLocal: 1 } });
    const ids = (await machinesAt(location)).map((m) => m.id);
    expect(ids).toContain(withIssue.id);
    expect(ids).not.toContain(withoutIssue.id);
  });

  it("with createMissingModels off, unknown titles are shown and skipped, not created", async () => {
    await upsertPinballMapConfig(t.db, org, { createMissingModels: false });
    const unknown = {
      id: 99999,
      name: "Homebrew Special",
      year: 2024,
      manufacturer: "Garage",
      ipdb_id: null,
      opdb_id: "GZZZZ-MZZZZ",
    };
    serveAs("ok", JSON.stringify({ machines: [...FIXTURE.machines.slice(2), unknown] }));
    const preview = await previewOutcome(org, location);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.onlyRemote).toEqual([
      expect.objectContaining({ name: "Homebrew Special", model: "unavailable" }),
    ]);
    const before = await state();
    const outcome = await applyOutcome(org, {
      locationId: location,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(outcome).toMatchObject({
      ok: true,
      result: { added: 0, modelsCreated: 0, skipped: [{ name: "Homebrew Special" }] },
    });
    expect((await state()).models).toBe(before.models);
    expect((await t.db.select().from(models).where(eq(models.opdbId, "GZZZZ-MZZZZ"))).length).toBe(0);
    await upsertPinballMapConfig(t.db, org, { createMissingModels: true });
  });

  it("falls back to the IPDB id when the OPDB id is unknown (catalogue lookup and matching)", async () => {
    const xenon = FIXTURE.machines.find((m) => m.name === "Xenon")!;
    serveAs("ok", JSON.stringify({ machines: [{ ...xenon, opdb_id: "GNew1-MNew1" }] }));
    const [hall] = await t.db
      .insert(locations)
      .values({ name: "IPDB Hall", organizationId: org, pinballMapId: PBM_ID })
      .returning({ id: locations.id });
    const preview = await previewOutcome(org, hall.id);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.onlyRemote).toEqual([expect.objectContaining({ name: "Xenon", model: "existing" })]);
    const applied = await applyOutcome(org, {
      locationId: hall.id,
      checksum: preview.preview.checksum,
      removeMachineIds: [],
    });
    expect(applied).toMatchObject({ ok: true, result: { added: 1, modelsCreated: 0 } });
    const [machine] = await t.db
      .select({ opdbId: models.opdbId, ipdbId: models.ipdbId })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .where(eq(machines.locationId, hall.id));
    expect(machine).toEqual({ opdbId: "G42Pk-MZe2e", ipdbId: "2821" });
    const again = await previewOutcome(org, hall.id);
    if (!again.ok) throw new Error(again.message);
    expect(again.preview.inSync).toEqual([expect.objectContaining({ name: "Xenon", matchedBy: "ipdb" })]);
  });

  it("another organization cannot preview or apply this organization's location", async () => {
    await enablePinballMapIntegration(t.db, other);
    const before = await state();
    expect(await previewOutcome(other, location)).toMatchObject({ ok: false, status: 404 });
    expect(
      await applyOutcome(other, { locationId: location, checksum: "0".repeat(32), removeMachineIds: [] }),
    ).toMatchObject({
      ok: false,
      status: 404,
    });
    expect((await getSyncStatus(t.db, other)).locations.map((l) => l.name)).toEqual(["Other Hall"]);
    expect(await state()).toEqual(before);
  });

  it("limits outbound requests per organization (429 with a message; Pinball Map is not called)", async () => {
    // Use up the organization's allowance (whatever RATE_LIMIT_MULTIPLIER the runner set).
    while ((await hit(t.db, pinballMapRateKey(org), PINBALLMAP_RATE_LIMIT)).allowed) {
      /* counting */
    }
    const calls = stub.requests.length;
    const before = await state();
    const preview = await previewOutcome(org, location);
    expect(preview).toMatchObject({ ok: false, status: 429 });
    expect(!preview.ok && preview.message).toContain("Too many Pinball Map requests");
    expect(
      await applyOutcome(org, { locationId: location, checksum: "0".repeat(32), removeMachineIds: [] }),
    ).toMatchObject({
      ok: false,
      status: 429,
    });
    expect(stub.requests.length).toBe(calls);
    expect(await state()).toEqual(before);
    // Another organization is not affected.
    expect((await previewOutcome(other, location)).ok).toBe(false); // 404: not its location
    await resetRateLimits();
  });

  describe("upstream failures: a clear error and NOTHING changes", () => {
    const cases: { label: string; setup: () => void; kind: string; text: RegExp; status: number }[] = [
      { label: "HTTP 500", setup: () => serveAs("500"), kind: "http", text: /HTTP 500/, status: 502 },
      {
        label: "invalid JSON",
        setup: () => serveAs("invalid-json"),
        kind: "invalid_response",
        text: /not valid JSON/,
        status: 502,
      },
      {
        label: "HTML maintenance page",
        setup: () => serveAs("html"),
        kind: "invalid_response",
        text: /not valid JSON/,
        status: 502,
      },
      {
        label: "JSON of the wrong shape",
        setup: () => serveAs("wrong-shape"),
        kind: "invalid_response",
        text: /without a machine list/,
        status: 502,
      },
      {
        label: "entries that are all garbage",
        setup: () => serveAs("ok", JSON.stringify({ machines: [{ id: "x" }, 42, null] })),
        kind: "invalid_response",
        text: /could be read/,
        status: 502,
      },
      {
        label: "too slow (timeout)",
        setup: () => serveAs("slow"),
        kind: "timeout",
        text: /did not answer within 400 ms/,
        status: 504,
      },
      {
        label: "connection refused",
        setup: () => {
          serveAs("ok");
          process.env.PINBALLMAP_BASE_URL = closedPortUrl;
        },
        kind: "unreachable",
        text: /Could not reach Pinball Map \(connection refused\)/,
        status: 502,
      },
    ];

    cases.forEach((c) => {
      it(c.label, async () => {
        // A valid checksum from a good preview, so only the upstream failure can stop the apply.
        serveAs("ok");
        const good = await previewOutcome(org, location);
        if (!good.ok) throw new Error(good.message);
        c.setup();
        const before = await state();
        const error = await fetchLocationMachines(PBM_ID).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(PinballMapError);
        expect((error as PinballMapError).kind).toBe(c.kind);
        expect((error as PinballMapError).message).toMatch(c.text);
        const preview = await previewOutcome(org, location);
        expect(preview).toMatchObject({ ok: false, status: c.status });
        const outcome = await applyOutcome(org, {
          locationId: location,
          checksum: good.preview.checksum,
          removeMachineIds: [],
        });
        expect(outcome).toMatchObject({ ok: false, status: c.status });
        expect(!outcome.ok && outcome.message).toMatch(c.text);
        expect(await state()).toEqual(before);
      });
    });

    it("an unknown Pinball Map location is a clear 'does not know' error", async () => {
      const error = await fetchLocationMachines(123).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PinballMapError);
      expect((error as PinballMapError).message).toContain("does not know location 123");
    });

    it("a broken PINBALLMAP_BASE_URL is a configuration error", async () => {
      process.env.PINBALLMAP_BASE_URL = "ftp://example.org";
      const preview = await previewOutcome(org, location);
      expect(preview).toMatchObject({ ok: false, status: 503 });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("admin route over real HTTP (demo seed)", () => {
  let server: TestServer;
  let admin: TestClient;
  let apc: string;
  let mainLocation: string;
  let secondLocation: string;

  beforeAll(async () => {
    await t.reset();
    await seedDatabase(t.db, { demo: true });
    apc = await orgIdOf(t.db, "apc");
    [{ id: mainLocation }] = await t.db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.organizationId, apc), eq(locations.pinballMapId, PBM_ID)));
    [{ id: secondLocation }] = await t.db
      .insert(locations)
      .values({ name: "Second Home", organizationId: apc })
      .returning({ id: locations.id });
    server = await startTestServer(t.db);
    admin = server.client({ org: "apc" });
    await admin.login("admin@dev.local");
  });

  afterAll(async () => {
    await server?.close();
  });

  const checksumIn = (html: string) => /name="checksum" value="([0-9a-f]{32})"/.exec(html)?.[1];

  it("needs organization:manage: anonymous → sign in, member → 403, other org → 404", async () => {
    const anon = await server.client({ org: "apc" }).get("/admin/pinballmap");
    expect(anon.status).toBe(302);
    const member = server.client({ org: "apc" });
    await member.login("member@dev.local");
    expect((await member.get("/admin/pinballmap")).status).toBe(403);
    expect((await member.post("/admin/pinballmap", { intent: "config", apiEnabled: "on" })).status).toBe(403);
    const beta = server.client({ org: "beta" });
    await beta.login("admin@beta.local");
    await beta.post("/admin/pinballmap", { intent: "config", apiEnabled: "on" });
    const before = await state();
    expect((await beta.get(`/admin/pinballmap?preview=${mainLocation}`)).status).toBe(404);
    expect(
      (await beta.post("/admin/pinballmap", { intent: "set-location", locationId: mainLocation, pinballMapId: "1" }))
        .status,
    ).toBe(404);
    expect(
      (await beta.post("/admin/pinballmap", { intent: "apply", locationId: mainLocation, checksum: "0".repeat(32) }))
        .status,
    ).toBe(404);
    expect(await state()).toEqual(before);
    expect(await getPinballMapConfig(t.db, apc)).toBeNull();
  });

  it("enable the integration and link a location; bad ids are a 400 with a message", async () => {
    const page = await admin.get("/admin/pinballmap");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Data from");
    expect(page.text).toContain("CC BY-SA 4.0");

    // Linking before enabling is refused.
    const early = await admin.post("/admin/pinballmap", {
      intent: "set-location",
      locationId: secondLocation,
      pinballMapId: String(PBM_ID),
    });
    expect(early.status).toBe(400);
    expect(early.text).toContain("Enable the Pinball Map integration first");

    const enabled = await admin.post("/admin/pinballmap", {
      intent: "config",
      apiEnabled: "on",
      createMissingModels: "on",
    });
    expect(enabled.status).toBe(200);
    expect(await getPinballMapConfig(t.db, apc)).toMatchObject({ apiEnabled: true, createMissingModels: true });

    for (const bad of ["abc", "-3", "0", "99999999999", "1.5"]) {
      const res = await admin.post("/admin/pinballmap", {
        intent: "set-location",
        locationId: secondLocation,
        pinballMapId: bad,
      });
      expect(res.status, bad).toBe(400);
    }
    expect(
      (await admin.post("/admin/pinballmap", { intent: "set-location", locationId: "nope", pinballMapId: "5" })).status,
    ).toBe(404);
    const linked = await admin.post("/admin/pinballmap", {
      intent: "set-location",
      locationId: secondLocation,
      pinballMapId: String(PBM_ID),
    });
    expect(linked.status).toBe(200);
    expect(linked.text).toContain(`linked to Pinball Map location ${PBM_ID}`);
    expect((await admin.post("/admin/pinballmap", { intent: "nonsense" })).status).toBe(400);
  });

  it("the seeded location previews as 41 in sync", async () => {
    const res = await admin.get(`/admin/pinballmap?preview=${mainLocation}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/In sync<\/dt><dd[^>]*>41</);
    expect(res.text).toMatch(/Only on Pinball Map<\/dt><dd[^>]*>0</);
    expect(res.text).toMatch(/Only here<\/dt><dd[^>]*>0</);
  });

  it("preview an empty location (41 only on Pinball Map), confirm, then everything is in sync", async () => {
    const preview = await admin.get(`/admin/pinballmap?preview=${secondLocation}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/Only on Pinball Map<\/dt><dd[^>]*>41</);
    expect(preview.text).toContain("Confirm: add 41 machines");
    expect(preview.text).toContain("Data from");
    const checksum = checksumIn(preview.text);
    expect(checksum).toBeDefined();

    const before = await state();
    const applied = await admin.post(`/admin/pinballmap?preview=${secondLocation}`, {
      intent: "apply",
      locationId: secondLocation,
      checksum: checksum!,
    });
    expect(applied.status).toBe(200);
    expect(applied.text).toContain("41 machines added");
    // The revalidated preview on the same page shows the new state.
    expect(applied.text).toMatch(/In sync<\/dt><dd[^>]*>41</);
    const after = await state();
    expect(after.machines).toBe(before.machines + 41);
    expect(after.models).toBe(before.models); // the catalogue already had every title
    expect((await machinesAt(secondLocation)).length).toBe(41);
    const [loc] = await t.db.select().from(locations).where(eq(locations.id, secondLocation));
    expect(loc.lastSyncAt).toBeInstanceOf(Date);

    const again = await admin.get(`/admin/pinballmap?preview=${secondLocation}`);
    expect(again.text).toMatch(/In sync<\/dt><dd[^>]*>41</);
    expect(again.text).toMatch(/Only on Pinball Map<\/dt><dd[^>]*>0</);
  });

  it("extra local machines show as only here and are kept unless ticked", async () => {
    const [model] = await t.db
      .insert(models)
      .values({ name: "Medieval Madness", manufacturer: "Williams", year: 1997, opdbId: "G5pe4-MePZv" })
      .returning({ id: models.id });
    const [extra] = await t.db
      .insert(machines)
      .values({ name: "Medieval Madness", organizationId: apc, locationId: mainLocation, modelId: model.id })
      .returning({ id: machines.id });
    const preview = await admin.get(`/admin/pinballmap?preview=${mainLocation}`);
    expect(preview.text).toMatch(/Only here<\/dt><dd[^>]*>1</);
    expect(preview.text).toMatch(new RegExp(`<input[^>]*name="remove"[^>]*value="${extra.id}"`));
    const checksum = checksumIn(preview.text)!;
    const kept = await admin.post("/admin/pinballmap", { intent: "apply", locationId: mainLocation, checksum });
    expect(kept.status).toBe(200);
    expect(kept.text).toContain("1 only here kept");
    expect((await t.db.select().from(machines).where(eq(machines.id, extra.id))).length).toBe(1);

    const preview2 = await admin.get(`/admin/pinballmap?preview=${mainLocation}`);
    const removed = await admin.post("/admin/pinballmap", {
      intent: "apply",
      locationId: mainLocation,
      checksum: checksumIn(preview2.text)!,
      remove: [extra.id],
    });
    expect(removed.status).toBe(200);
    expect(removed.text).toContain("1 removed");
    expect((await t.db.select().from(machines).where(eq(machines.id, extra.id))).length).toBe(0);
  });

  it("a remote change between preview and confirm is a 409 and nothing changes", async () => {
    const preview = await admin.get(`/admin/pinballmap?preview=${secondLocation}`);
    const checksum = checksumIn(preview.text)!;
    serveAs("ok", JSON.stringify({ machines: [...FIXTURE.machines, { ...FIXTURE.machines[0], id: 77777 }] }));
    const before = await state();
    const res = await admin.post("/admin/pinballmap", { intent: "apply", locationId: secondLocation, checksum });
    expect(res.status).toBe(409);
    expect(res.text).toContain("changed since the preview");
    expect(await state()).toEqual(before);
  });

  it("Pinball Map down, slow or answering garbage: clear message (502/504), nothing changes", async () => {
    serveAs("ok");
    const checksum = checksumIn((await admin.get(`/admin/pinballmap?preview=${secondLocation}`)).text)!;
    const cases: [() => void, number, string][] = [
      [() => serveAs("500"), 502, "HTTP 500"],
      [() => serveAs("invalid-json"), 502, "not valid JSON"],
      [() => serveAs("wrong-shape"), 502, "without a machine list"],
      [() => serveAs("slow"), 504, "did not answer within"],
      [
        () => {
          serveAs("ok");
          process.env.PINBALLMAP_BASE_URL = closedPortUrl;
        },
        502,
        "Could not reach Pinball Map",
      ],
    ];
    for (const [setup, status, text] of cases) {
      setup();
      const before = await state();
      const preview = await admin.get(`/admin/pinballmap?preview=${secondLocation}`);
      expect(preview.status, text).toBe(status);
      expect(preview.text).toContain("The preview could not be made.");
      expect(preview.text).toContain(text);
      const apply = await admin.post("/admin/pinballmap", { intent: "apply", locationId: secondLocation, checksum });
      expect(apply.status, text).toBe(status);
      expect(apply.text).toContain(text);
      expect(await state()).toEqual(before);
    }
  });

  it("bad apply input is a 4xx, never a 500", async () => {
    const before = await state();
    expect(
      (await admin.post("/admin/pinballmap", { intent: "apply", locationId: secondLocation, checksum: "zzz" })).status,
    ).toBe(400);
    expect((await admin.post("/admin/pinballmap", { intent: "apply", locationId: secondLocation })).status).toBe(400);
    expect(
      (await admin.post("/admin/pinballmap", { intent: "apply", locationId: "missing", checksum: "0".repeat(32) }))
        .status,
    ).toBe(404);
    expect((await admin.get(`/admin/pinballmap?preview=${"x".repeat(200)}`)).status).toBe(404);
    expect((await admin.get("/admin/pinballmap?preview=missing")).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it("sync refreshes automatic collections of the organization", async () => {
    const [manufacturer] = await t.db
      .select({ id: collectionTypes.id })
      .from(collectionTypes)
      .where(and(eq(collectionTypes.organizationId, apc), eq(collectionTypes.name, "Manufacturer")));
    await enableType(apc, manufacturer.id);
    const total = async () =>
      (await listAdminCollections(t.db, apc))
        .filter((c) => c.typeName === "Manufacturer")
        .reduce((n, c) => n + c.machineCount, 0);
    const before = await total();
    const [third] = await t.db
      .insert(locations)
      .values({ name: "Third Place", organizationId: apc, pinballMapId: PBM_ID })
      .returning({ id: locations.id });
    const checksum = checksumIn((await admin.get(`/admin/pinballmap?preview=${third.id}`)).text)!;
    const res = await admin.post("/admin/pinballmap", { intent: "apply", locationId: third.id, checksum });
    expect(res.status).toBe(200);
    expect(await total()).toBe(before + 41);
    // No global model was created with an organization id by the sync.
    const orgModels = await t.db.select({ n: count() }).from(models).where(eq(models.organizationId, apc));
    expect(Number(orgModels[0].n)).toBe(0);
    expect(
      (await t.db.select({ n: count() }).from(models).where(isNull(models.organizationId)))[0].n,
    ).toBeGreaterThanOrEqual(41);
  });
});
