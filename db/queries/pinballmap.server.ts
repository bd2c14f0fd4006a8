/**
 * Pinball Map integration, the database half: the per-organization PinballMapConfig, a location's Pinball Map id,
 * and the statements of a location sync (our lineup, catalogue models, new machines, removals, the sync stamp). The
 * HTTP client is app/lib/pinballmap.server.ts, the pure matching and planning core/pinballmap-sync.ts, and the preview
 * and the one-transaction apply app/use-cases/pinballmap.server.ts.
 *
 * Every helper takes `organizationId`; locations and machines are always looked up with it. Catalogue models are
 * global (organizationId null) — a model that is another organization's custom model is never reused.
 */
import { and, asc, count, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  indexCatalogue,
  pbmMachineToModel,
  type Catalogue,
  type CatalogueModel,
  type LocalMachine,
  type PbmMachine,
} from "../../core/pinballmap-sync";
import type { DbOrTx } from "../client.server";
import { issues, locations, machines, models, pinballMapConfigs } from "../schema";

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
export function enablePinballMapIntegration(
  db: DbOrTx,
  organizationId: string,
  opts: { createMissingModels?: boolean } = {},
) {
  return upsertPinballMapConfig(db, organizationId, { apiEnabled: true, ...opts });
}

/** A location of the organization as sync sees it (locked FOR UPDATE when asked, for the apply). */
export async function getSyncLocation(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  opts: { forUpdate?: boolean } = {},
) {
  const query = db
    .select({
      id: locations.id,
      name: locations.name,
      pinballMapId: locations.pinballMapId,
      lastSyncAt: locations.lastSyncAt,
    })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** Sets (or, with null, clears) a location's Pinball Map id; a linked location is marked syncEnabled. */
export async function updateLocationPinballMapId(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  pinballMapId: number | null,
) {
  await db
    .update(locations)
    .set({ pinballMapId, syncEnabled: pinballMapId !== null })
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)));
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
      issueCount:
        sql<number>`(select count(*) from ${issues} where ${issues.machineId} = ${machines.id} and ${issues.organizationId} = ${organizationId})`.mapWith(
          Number,
        ),
    })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .where(and(eq(machines.organizationId, organizationId), eq(machines.locationId, locationId)))
    .orderBy(asc(models.name), asc(machines.id));
  return rows.map((r) => ({ ...r, issueCount: Number(r.issueCount) }));
}

const catalogueColumns = {
  id: models.id,
  name: models.name,
  opdbId: models.opdbId,
  ipdbId: models.ipdbId,
  organizationId: models.organizationId,
};

/** Models that could match these Pinball Map machines, indexed by OPDB and IPDB id. */
export async function loadCatalogue(db: DbOrTx, remote: readonly PbmMachine[]): Promise<Catalogue> {
  const opdbIds = [...new Set(remote.map((m) => m.opdbId).filter((v): v is string => Boolean(v)))];
  const ipdbIds = [...new Set(remote.map((m) => m.ipdbId).filter((v): v is string => Boolean(v)))];
  const conditions = [
    opdbIds.length ? inArray(models.opdbId, opdbIds) : undefined,
    ipdbIds.length ? inArray(models.ipdbId, ipdbIds) : undefined,
  ].filter(Boolean);
  const rows: CatalogueModel[] = conditions.length
    ? await db
        .select(catalogueColumns)
        .from(models)
        .where(or(...conditions))
    : [];
  return indexCatalogue(rows);
}

/** Creates the global catalogue model of a Pinball Map machine; null when one with its ids exists (made meanwhile). */
export async function insertCatalogueModel(db: DbOrTx, machine: PbmMachine): Promise<CatalogueModel | null> {
  const [created] = await db
    .insert(models)
    .values({ ...pbmMachineToModel(machine), organizationId: null })
    .onConflictDoNothing()
    .returning(catalogueColumns);
  return created ?? null;
}

/** The global (or the organization's own) model with the machine's OPDB or IPDB id, or null. */
export async function findCatalogueModel(
  db: DbOrTx,
  organizationId: string,
  machine: PbmMachine,
): Promise<CatalogueModel | null> {
  const [row] = await db
    .select(catalogueColumns)
    .from(models)
    .where(
      and(
        or(
          machine.opdbId ? eq(models.opdbId, machine.opdbId) : undefined,
          machine.ipdbId ? eq(models.ipdbId, machine.ipdbId) : undefined,
        ),
        or(isNull(models.organizationId), eq(models.organizationId, organizationId)),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function insertSyncedMachine(
  db: DbOrTx,
  organizationId: string,
  row: { name: string; locationId: string; modelId: string },
) {
  await db.insert(machines).values({ ...row, organizationId });
}

/** Deletes the chosen machines at the location, never one with issues; returns how many went. */
export async function deleteMachinesWithoutIssues(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  machineIds: readonly string[],
): Promise<number> {
  if (machineIds.length === 0) return 0;
  const deleted = await db
    .delete(machines)
    .where(
      and(
        eq(machines.organizationId, organizationId),
        eq(machines.locationId, locationId),
        inArray(machines.id, [...machineIds]),
        sql`not exists (select 1 from ${issues} where ${issues.machineId} = ${machines.id})`,
      ),
    )
    .returning({ id: machines.id });
  return deleted.length;
}

/** Stamps a location as synced now. */
export async function markLocationSynced(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  at: Date,
): Promise<void> {
  await db
    .update(locations)
    .set({ lastSyncAt: at, syncEnabled: true })
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)));
}
