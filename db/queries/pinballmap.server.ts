/**
 * Pinball Map integration: the per-organization PinballMapConfig, a location's Pinball Map id, and the database half
 * of a location sync (preview and apply). The HTTP half is app/lib/pinballmap.server.ts; the pure matching and
 * planning is app/lib/pinballmap-sync.ts.
 *
 * Every helper takes `organizationId`; locations and machines are always looked up with it. Catalogue models are
 * global (organizationId null) — a model that is another organization's custom model is never reused.
 * Apply runs in ONE transaction: it re-plans against the current data, refuses when the plan's checksum differs from
 * the previewed one, creates missing models and machines, removes only explicitly chosen machines that have no
 * issues, stamps Location.lastSyncAt and refreshes automatic collections. Any failure rolls everything back.
 */
import { and, asc, count, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  machineNameFor,
  modelLookupOrder,
  pbmMachineToModel,
  planChecksum,
  planSync,
  summarizePlan,
  type LocalMachine,
  type PbmMachine,
  type SyncPlan,
} from "../../core/pinballmap-sync";
import type { DbOrTx } from "../client.server";
import { issues, locations, machines, models, pinballMapConfigs } from "../schema";
import { refreshAutoCollections, type RefreshResult } from "./collections.server";

type Failure = { ok: false; status: number; message: string; field?: string };

// ---------------------------------------------------------------------------------------------------------------
// Configuration

export interface PinballMapConfigView {
  apiEnabled: boolean;
  createMissingModels: boolean;
  updateExistingData: boolean;
  lastGlobalSync: Date | null;
}

export async function getPinballMapConfig(db: DbOrTx, organizationId: string): Promise<PinballMapConfigView | null> {
  const [row] = await db
    .select({
      apiEnabled: pinballMapConfigs.apiEnabled,
      createMissingModels: pinballMapConfigs.createMissingModels,
      updateExistingData: pinballMapConfigs.updateExistingData,
      lastGlobalSync: pinballMapConfigs.lastGlobalSync,
    })
    .from(pinballMapConfigs)
    .where(eq(pinballMapConfigs.organizationId, organizationId))
    .limit(1);
  return row ?? null;
}

/**
 * Creates or updates the organization's config (upsert on the unique organizationId). `apiEnabled: true` is
 * "enable integration"; autoSync stays off (there is no scheduler).
 */
export async function upsertPinballMapConfig(
  db: DbOrTx,
  organizationId: string,
  patch: { apiEnabled?: boolean; createMissingModels?: boolean; updateExistingData?: boolean },
): Promise<PinballMapConfigView> {
  const set: Partial<typeof pinballMapConfigs.$inferInsert> = {};
  if (patch.apiEnabled !== undefined) set.apiEnabled = patch.apiEnabled;
  if (patch.createMissingModels !== undefined) set.createMissingModels = patch.createMissingModels;
  if (patch.updateExistingData !== undefined) set.updateExistingData = patch.updateExistingData;
  const [row] = await db
    .insert(pinballMapConfigs)
    .values({ organizationId, autoSyncEnabled: false, ...set })
    .onConflictDoUpdate({
      target: pinballMapConfigs.organizationId,
      set: Object.keys(set).length > 0 ? set : { organizationId },
    })
    .returning({
      apiEnabled: pinballMapConfigs.apiEnabled,
      createMissingModels: pinballMapConfigs.createMissingModels,
      updateExistingData: pinballMapConfigs.updateExistingData,
      lastGlobalSync: pinballMapConfigs.lastGlobalSync,
    });
  return row;
}

/** Spec "enableIntegration": upsert with apiEnabled = true. */
export function enablePinballMapIntegration(db: DbOrTx, organizationId: string, opts: { createMissingModels?: boolean } = {}) {
  return upsertPinballMapConfig(db, organizationId, { apiEnabled: true, ...opts });
}

/**
 * Sets (or, with null, clears) a location's Pinball Map id. Setting requires the integration to be enabled and marks
 * the location syncEnabled; clearing turns syncEnabled off.
 */
export async function setLocationPinballMapId(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  pinballMapId: number | null,
): Promise<{ ok: true; location: { id: string; name: string; pinballMapId: number | null } } | Failure> {
  return db.transaction(async (tx) => {
    const [location] = await tx
      .select({ id: locations.id, name: locations.name })
      .from(locations)
      .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
      .limit(1);
    if (!location) return { ok: false as const, status: 404, message: "That location does not exist." };
    if (pinballMapId !== null) {
      const config = await getPinballMapConfig(tx, organizationId);
      if (!config?.apiEnabled) {
        return { ok: false as const, status: 400, message: "Enable the Pinball Map integration first.", field: "pinballMapId" };
      }
    }
    await tx
      .update(locations)
      .set({ pinballMapId, syncEnabled: pinballMapId !== null })
      .where(and(eq(locations.id, location.id), eq(locations.organizationId, organizationId)));
    return { ok: true as const, location: { ...location, pinballMapId } };
  });
}

export interface SyncStatusLocation {
  id: string;
  name: string;
  pinballMapId: number | null;
  syncEnabled: boolean;
  lastSyncAt: Date | null;
  machineCount: number;
}

/** Spec "getSyncStatus": config state plus every location of the organization with its machine count. */
export async function getSyncStatus(db: DbOrTx, organizationId: string) {
  const config = await getPinballMapConfig(db, organizationId);
  const rows = await db
    .select({
      id: locations.id,
      name: locations.name,
      pinballMapId: locations.pinballMapId,
      syncEnabled: locations.syncEnabled,
      lastSyncAt: locations.lastSyncAt,
      machineCount: count(machines.id),
    })
    .from(locations)
    .leftJoin(machines, and(eq(machines.locationId, locations.id), eq(machines.organizationId, organizationId)))
    .where(eq(locations.organizationId, organizationId))
    .groupBy(locations.id)
    .orderBy(asc(locations.name), asc(locations.id));
  return {
    configEnabled: Boolean(config?.apiEnabled),
    config,
    locations: rows.map((r): SyncStatusLocation => ({ ...r, machineCount: Number(r.machineCount) })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sync

export interface SyncTarget {
  location: { id: string; name: string; pinballMapId: number; lastSyncAt: Date | null };
  config: PinballMapConfigView;
}

/** The location to sync and the config, or why it cannot be synced (spec: fail softly with a message). */
export async function loadSyncTarget(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<({ ok: true } & SyncTarget) | Failure> {
  const query = db
    .select({ id: locations.id, name: locations.name, pinballMapId: locations.pinballMapId, lastSyncAt: locations.lastSyncAt })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .limit(1);
  const [location] = opts.forUpdate ? await query.for("update") : await query;
  if (!location) return { ok: false, status: 404, message: "That location does not exist." };
  const config = await getPinballMapConfig(db, organizationId);
  if (!config?.apiEnabled) return { ok: false, status: 400, message: "The Pinball Map integration is not enabled." };
  if (location.pinballMapId === null) {
    return { ok: false, status: 400, message: `“${location.name}” has no Pinball Map id yet. Set it first.` };
  }
  return { ok: true, location: { ...location, pinballMapId: location.pinballMapId }, config };
}

/** Our machines at a location, with their model's identifiers and issue counts. */
export async function loadLocalLineup(db: DbOrTx, organizationId: string, locationId: string): Promise<LocalMachine[]> {
  const rows = await db
    .select({
      id: machines.id,
      name: machines.name,
      modelId: models.id,
      modelName: models.name,
      manufacturer: models.manufacturer,
      year: models.year,
      opdbId: models.opdbId,
      ipdbId: models.ipdbId,
      issueCount: sql<number>`(select count(*) from ${issues} where ${issues.machineId} = ${machines.id} and ${issues.organizationId} = ${organizationId})`.mapWith(Number),
    })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .where(and(eq(machines.organizationId, organizationId), eq(machines.locationId, locationId)))
    .orderBy(asc(models.name), asc(machines.id));
  return rows.map((r) => ({ ...r, issueCount: Number(r.issueCount) }));
}

interface CatalogueModel {
  id: string;
  name: string;
  opdbId: string | null;
  ipdbId: string | null;
  organizationId: string | null;
}

/** Models that could match these Pinball Map machines, indexed by OPDB and IPDB id. */
async function loadCatalogue(db: DbOrTx, remote: readonly PbmMachine[]) {
  const opdbIds = [...new Set(remote.map((m) => m.opdbId).filter((v): v is string => Boolean(v)))];
  const ipdbIds = [...new Set(remote.map((m) => m.ipdbId).filter((v): v is string => Boolean(v)))];
  const conditions = [
    opdbIds.length ? inArray(models.opdbId, opdbIds) : undefined,
    ipdbIds.length ? inArray(models.ipdbId, ipdbIds) : undefined,
  ].filter(Boolean);
  const rows: CatalogueModel[] = conditions.length
    ? await db
        .select({ id: models.id, name: models.name, opdbId: models.opdbId, ipdbId: models.ipdbId, organizationId: models.organizationId })
        .from(models)
        .where(or(...conditions))
    : [];
  const byOpdb = new Map<string, CatalogueModel>();
  const byIpdb = new Map<string, CatalogueModel>();
  for (const r of rows) {
    if (r.opdbId) byOpdb.set(r.opdbId, r);
    if (r.ipdbId) byIpdb.set(r.ipdbId, r);
  }
  return { byOpdb, byIpdb };
}

type ModelResolution = { kind: "existing"; model: CatalogueModel } | { kind: "new" } | { kind: "unavailable"; reason: string };

/** Lookup order OPDB → IPDB; a hit that is another organization's custom model cannot be used (nor re-created). */
function resolveModel(
  catalogue: Awaited<ReturnType<typeof loadCatalogue>>,
  organizationId: string,
  machine: PbmMachine,
  createMissingModels: boolean,
): ModelResolution {
  for (const step of modelLookupOrder(machine)) {
    const hit = step.by === "opdbId" ? catalogue.byOpdb.get(step.value) : catalogue.byIpdb.get(step.value);
    if (!hit) continue;
    if (hit.organizationId === null || hit.organizationId === organizationId) return { kind: "existing", model: hit };
    return { kind: "unavailable", reason: "Its catalogue id is taken by a custom model" };
  }
  return createMissingModels ? { kind: "new" } : { kind: "unavailable", reason: "Not in the catalogue (creating models is off)" };
}

export interface SyncPreview {
  location: { id: string; name: string; pinballMapId: number; lastSyncAt: string | null };
  checksum: string;
  createMissingModels: boolean;
  counts: ReturnType<typeof summarizePlan>;
  inSync: { machineId: string; machineName: string; name: string; manufacturer: string | null; year: number | null; matchedBy: "opdb" | "ipdb" }[];
  onlyRemote: {
    pbmId: number;
    name: string;
    manufacturer: string | null;
    year: number | null;
    opdbId: string | null;
    ipdbId: string | null;
    model: "existing" | "new" | "unavailable";
    note: string | null;
  }[];
  onlyLocal: { id: string; name: string; modelName: string; manufacturer: string | null; year: number | null; issueCount: number; removable: boolean }[];
}

function describePlan(
  target: SyncTarget,
  plan: SyncPlan,
  catalogue: Awaited<ReturnType<typeof loadCatalogue>>,
  organizationId: string,
): SyncPreview {
  return {
    location: {
      id: target.location.id,
      name: target.location.name,
      pinballMapId: target.location.pinballMapId,
      lastSyncAt: target.location.lastSyncAt ? target.location.lastSyncAt.toISOString() : null,
    },
    checksum: planChecksum(plan),
    createMissingModels: target.config.createMissingModels,
    counts: summarizePlan(plan),
    inSync: plan.inSync.map((p) => ({
      machineId: p.local.id,
      machineName: p.local.name,
      name: p.remote.name,
      manufacturer: p.remote.manufacturer,
      year: p.remote.year,
      matchedBy: p.matchedBy,
    })),
    onlyRemote: plan.onlyRemote.map((r) => {
      const resolution = resolveModel(catalogue, organizationId, r, target.config.createMissingModels);
      return {
        pbmId: r.pbmId,
        name: r.name,
        manufacturer: r.manufacturer,
        year: r.year,
        opdbId: r.opdbId,
        ipdbId: r.ipdbId,
        model: resolution.kind,
        note: resolution.kind === "unavailable" ? resolution.reason : null,
      };
    }),
    onlyLocal: plan.onlyLocal.map((l) => ({
      id: l.id,
      name: l.name,
      modelName: l.modelName,
      manufacturer: l.manufacturer,
      year: l.year,
      issueCount: l.issueCount,
      removable: l.issueCount === 0,
    })),
  };
}

/** Read-only comparison of an already fetched Pinball Map lineup with the location. */
export async function previewPinballMapSync(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  remote: readonly PbmMachine[],
): Promise<{ ok: true; preview: SyncPreview } | Failure> {
  const target = await loadSyncTarget(db, organizationId, locationId);
  if (!target.ok) return target;
  const local = await loadLocalLineup(db, organizationId, locationId);
  const plan = planSync(remote, local);
  const catalogue = await loadCatalogue(db, plan.onlyRemote);
  return { ok: true, preview: describePlan(target, plan, catalogue, organizationId) };
}

export interface ApplySyncResult {
  locationId: string;
  locationName: string;
  added: number;
  modelsCreated: number;
  inSync: number;
  removed: number;
  /** Only-here machines left in place (not chosen, or they have issues). */
  keptLocal: number;
  skipped: { name: string; reason: string }[];
  lastSyncAt: string;
  collections: RefreshResult | null;
}

class Rollback extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/**
 * Applies a previewed sync in one transaction. Refuses (status 409, nothing written) when the current plan's
 * checksum is not `expectedChecksum`. `removeMachineIds` must be only-here machines of the plan; those with issues
 * are kept (never deleted).
 */
export async function applyPinballMapSync(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  remote: readonly PbmMachine[],
  opts: {
    expectedChecksum: string;
    removeMachineIds?: readonly string[];
    /** Runs inside the transaction after the changes (e.g. an audit row), so both commit together. */
    onApplied?: (tx: DbOrTx, result: ApplySyncResult) => Promise<void>;
  },
): Promise<{ ok: true; result: ApplySyncResult } | Failure> {
  try {
    const result = await db.transaction(async (tx) => {
      const target = await loadSyncTarget(tx, organizationId, locationId, { forUpdate: true });
      if (!target.ok) throw new Rollback(target);
      const local = await loadLocalLineup(tx, organizationId, locationId);
      const plan = planSync(remote, local);
      if (planChecksum(plan) !== opts.expectedChecksum) {
        throw new Rollback({
          ok: false,
          status: 409,
          message:
            "The machines on Pinball Map or at this location changed since the preview. Nothing was changed; review the new preview and confirm again.",
        });
      }
      const onlyLocal = new Map(plan.onlyLocal.map((l) => [l.id, l]));
      const requested = [...new Set(opts.removeMachineIds ?? [])];
      if (requested.some((id) => !onlyLocal.has(id))) {
        throw new Rollback({
          ok: false,
          status: 400,
          message: "Only machines that are here but not on Pinball Map can be removed.",
          field: "remove",
        });
      }

      // 1. Models and machines for everything only on Pinball Map.
      const catalogue = await loadCatalogue(tx, plan.onlyRemote);
      const takenNames = local.map((l) => l.name);
      const skipped: ApplySyncResult["skipped"] = [];
      let added = 0;
      let modelsCreated = 0;
      for (const r of plan.onlyRemote) {
        const resolution = resolveModel(catalogue, organizationId, r, target.config.createMissingModels);
        let model: CatalogueModel | null = null;
        if (resolution.kind === "existing") model = resolution.model;
        else if (resolution.kind === "unavailable") {
          skipped.push({ name: r.name, reason: resolution.reason });
          continue;
        } else {
          const [created] = await tx
            .insert(models)
            .values({ ...pbmMachineToModel(r), organizationId: null })
            .onConflictDoNothing()
            .returning({ id: models.id, name: models.name, opdbId: models.opdbId, ipdbId: models.ipdbId, organizationId: models.organizationId });
          if (created) {
            modelsCreated += 1;
            model = created;
          } else {
            // Created meanwhile by someone else (unique opdbId / ipdbId): re-read it.
            const [again] = await tx
              .select({ id: models.id, name: models.name, opdbId: models.opdbId, ipdbId: models.ipdbId, organizationId: models.organizationId })
              .from(models)
              .where(
                and(
                  or(r.opdbId ? eq(models.opdbId, r.opdbId) : undefined, r.ipdbId ? eq(models.ipdbId, r.ipdbId) : undefined),
                  or(isNull(models.organizationId), eq(models.organizationId, organizationId)),
                ),
              )
              .limit(1);
            if (!again) {
              skipped.push({ name: r.name, reason: "Its catalogue model could not be created" });
              continue;
            }
            model = again;
          }
          if (model.opdbId) catalogue.byOpdb.set(model.opdbId, model);
          if (model.ipdbId) catalogue.byIpdb.set(model.ipdbId, model);
        }
        const name = machineNameFor(model.name, takenNames);
        takenNames.push(name);
        await tx.insert(machines).values({ name, organizationId, locationId: target.location.id, modelId: model.id });
        added += 1;
      }

      // 2. Explicitly chosen only-here machines, never one with issues.
      const removable = requested.filter((id) => onlyLocal.get(id)!.issueCount === 0);
      let removed = 0;
      if (removable.length > 0) {
        const deleted = await tx
          .delete(machines)
          .where(
            and(
              eq(machines.organizationId, organizationId),
              eq(machines.locationId, target.location.id),
              inArray(machines.id, removable),
              sql`not exists (select 1 from ${issues} where ${issues.machineId} = ${machines.id})`,
            ),
          )
          .returning({ id: machines.id });
        removed = deleted.length;
      }

      // 3. Stamp the location and refresh automatic collections.
      const lastSyncAt = new Date();
      await tx
        .update(locations)
        .set({ lastSyncAt, syncEnabled: true })
        .where(and(eq(locations.id, target.location.id), eq(locations.organizationId, organizationId)));
      const collections = added > 0 || removed > 0 ? await refreshAutoCollections(tx, organizationId) : null;

      const result: ApplySyncResult = {
        locationId: target.location.id,
        locationName: target.location.name,
        added,
        modelsCreated,
        inSync: plan.inSync.length,
        removed,
        keptLocal: plan.onlyLocal.length - removed,
        skipped,
        lastSyncAt: lastSyncAt.toISOString(),
        collections,
      };
      await opts.onApplied?.(tx, result);
      return result;
    });
    return { ok: true, result };
  } catch (error) {
    if (error instanceof Rollback) return error.failure;
    throw error;
  }
}
