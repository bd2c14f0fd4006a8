/**
 * Pinball Map sync of the organization's locations (organization:manage): the integration settings, a location's
 * Pinball Map id, the read-only preview (fetch the lineup, compare it with our machines) and the apply.
 *
 * Apply re-fetches the lineup and then runs in ONE transaction: it re-plans against the current data with the location
 * row locked, refuses when the plan's checksum is not the previewed one, creates missing models and machines, removes
 * only explicitly chosen only-here machines that have no issues, stamps Location.lastSyncAt, refreshes automatic
 * collections and writes the audit row. Any refusal rolls everything back.
 *
 * Refusals are Failures; Pinball Map being down, slow or answering garbage is a PinballMapError from the client
 * (app/lib/pinballmap.server.ts), thrown before anything is written.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { pinballMapLocationPage } from "../../core/pinballmap";
import {
  addToCatalogue,
  machineNameFor,
  planChecksum,
  planSync,
  resolveCatalogueModel,
  summarizePlan,
  type Catalogue,
  type CatalogueModel,
  type PbmMachine,
  type SyncPlan,
} from "../../core/pinballmap-sync";
import { refreshAutoCollections, type RefreshResult } from "../../db/queries/collections.server";
import {
  deleteMachinesWithoutIssues,
  findCatalogueModel,
  getPinballMapConfig,
  getSyncLocation,
  getSyncStatus,
  insertCatalogueModel,
  insertSyncedMachine,
  loadCatalogue,
  loadLocalLineup,
  markLocationSynced,
  updateLocationPinballMapId,
  upsertPinballMapConfig,
  type PinballMapConfigView,
} from "../../db/queries/pinballmap.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { fetchLocationMachines } from "../lib/pinballmap.server";
import type { SyncResultCounts } from "../lib/pinballmap-words";
import { checkLimits, type RateLimitRule } from "../lib/rate-limit.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, type Actor } from "./actor";
import { auditBy, type AuditActor } from "./audit.server";

type DbOrTx = AuditActor["db"];

// ---------------------------------------------------------------------------------------------------------------
// Input rules

const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true");

export const pinballMapConfigInput = z.object({ apiEnabled: checkbox, createMissingModels: checkbox });

/** A location's Pinball Map id; empty unlinks it. */
export const locationLinkInput = z.object({
  locationId: fields.id,
  pinballMapId: z
    .string()
    .trim()
    .max(12, "Enter the number from the Pinball Map location page")
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .string()
        .regex(/^[0-9]+$/, "Enter the number from the Pinball Map location page")
        .transform(Number)
        .pipe(z.number().int().min(1, "Enter a positive number").max(2_147_483_647, "That number is too large"))
        .nullable(),
    ),
});

/** Confirming a preview: its checksum, and the only-here machines ticked for removal. */
export const syncApplyInput = z.object({
  locationId: fields.id,
  checksum: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/, "Run the preview again before confirming."),
  remove: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().trim().min(1).max(64)).max(1000)),
});

export type PinballMapConfigInput = z.infer<typeof pinballMapConfigInput>;
export type LocationLinkInput = z.infer<typeof locationLinkInput>;
export type SyncApplyInput = z.infer<typeof syncApplyInput>;

const LOCATION_NOT_FOUND = "That location does not exist.";

/** A sync time in the organization's zone and locale (app/lib/format.ts). */
function formatWhen(actor: Pick<Actor, "organization">, date: Date | string | null): string | null {
  return date ? dateFormatterFor(actor.organization).dateTime(date) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Outbound requests

/**
 * Outbound requests to Pinball Map per organization (previews and applies together): generous for people, but a
 * runaway script or a held-down reload key cannot hammer a free community service from our servers.
 */
export const PINBALLMAP_RATE_LIMIT: RateLimitRule = { limit: 30, windowMs: 10 * 60_000 };

export function pinballMapRateKey(organizationId: string): string {
  return `pinballmap:org:${organizationId}`;
}

async function spendUpstreamAllowance(db: DbOrTx, organizationId: string): Promise<void> {
  const limit = await checkLimits(db, [[pinballMapRateKey(organizationId), PINBALLMAP_RATE_LIMIT]]);
  if (limit.allowed) return;
  const minutes = Math.ceil(limit.retryAfterSeconds / 60);
  throw new Failure(
    "rate_limited",
    `Too many Pinball Map requests from this organization. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    {
      retryAfterSeconds: limit.retryAfterSeconds,
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Page read and settings

/** /admin/pinballmap: the integration settings and every location with its Pinball Map id and last sync. */
export async function loadPinballMapPage(actor: AuditActor) {
  requireCan(actor, "organization:manage");
  const status = await getSyncStatus(actor.db, actor.organizationId);
  return {
    configEnabled: status.configEnabled,
    createMissingModels: status.config?.createMissingModels ?? true,
    locations: status.locations.map((l) => ({
      id: l.id,
      name: l.name,
      pinballMapId: l.pinballMapId,
      pinballMapUrl: l.pinballMapId ? pinballMapLocationPage(l.pinballMapId) : null,
      machineCount: l.machineCount,
      lastSyncAt: formatWhen(actor, l.lastSyncAt),
    })),
  };
}

/** Enables or disables the integration ("enable" upserts the organization's one config row). */
export async function savePinballMapConfig(actor: AuditActor, input: PinballMapConfigInput): Promise<void> {
  requireCan(actor, "organization:manage");
  await withTransaction(actor.db, async (tx) => {
    await upsertPinballMapConfig(tx, actor.organizationId, input);
    await auditBy(tx, actor, {
      action: "pinballmap.config_changed",
      targetType: "PinballMapConfig",
      targetId: null,
      meta: { ...input },
    });
  });
}

/**
 * Sets (or, with null, clears) a location's Pinball Map id. Setting one needs the integration enabled and marks the
 * location syncEnabled; clearing turns syncEnabled off.
 */
export async function linkLocation(actor: AuditActor, input: LocationLinkInput) {
  requireCan(actor, "organization:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const location = await getSyncLocation(tx, organizationId, input.locationId);
    if (!location) throw fail.notFound(LOCATION_NOT_FOUND);
    if (input.pinballMapId !== null && !(await getPinballMapConfig(tx, organizationId))?.apiEnabled) {
      throw fail.invalid("Enable the Pinball Map integration first.", "pinballMapId");
    }
    await updateLocationPinballMapId(tx, organizationId, location.id, input.pinballMapId);
    await auditBy(tx, actor, {
      action: "location.pinballmap_id_set",
      targetType: "Location",
      targetId: location.id,
      meta: { pinballMapId: input.pinballMapId },
    });
    return { id: location.id, name: location.name, pinballMapId: input.pinballMapId };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sync

interface SyncTarget {
  location: { id: string; name: string; pinballMapId: number; lastSyncAt: Date | null };
  config: PinballMapConfigView;
}

/** The location to sync and the config, or why it cannot be synced. */
async function requireSyncTarget(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<SyncTarget> {
  const location = await getSyncLocation(db, organizationId, locationId, opts);
  if (!location) throw fail.notFound(LOCATION_NOT_FOUND);
  const config = await getPinballMapConfig(db, organizationId);
  if (!config?.apiEnabled) throw fail.invalid("The Pinball Map integration is not enabled.");
  if (location.pinballMapId === null) throw fail.invalid(`“${location.name}” has no Pinball Map id yet. Set it first.`);
  return { location: { ...location, pinballMapId: location.pinballMapId }, config };
}

/** Checks the target and the allowance, then fetches the lineup (nothing is written before it is fully read). */
async function fetchLineupFor(actor: AuditActor, locationId: string) {
  const target = await requireSyncTarget(actor.db, actor.organizationId, locationId);
  await spendUpstreamAllowance(actor.db, actor.organizationId);
  return { target, lineup: await fetchLocationMachines(target.location.pinballMapId) };
}

function describePlan(
  actor: Pick<Actor, "organization">,
  target: SyncTarget,
  plan: SyncPlan,
  catalogue: Catalogue,
  organizationId: string,
) {
  return {
    location: {
      id: target.location.id,
      name: target.location.name,
      pinballMapId: target.location.pinballMapId,
      lastSyncAt: formatWhen(actor, target.location.lastSyncAt),
    },
    pinballMapUrl: pinballMapLocationPage(target.location.pinballMapId),
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
      const resolution = resolveCatalogueModel(catalogue, organizationId, r, target.config.createMissingModels);
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

export type SyncPreview = ReturnType<typeof describePlan> & {
  ignored: { pbmId: number | null; name: string | null; reason: string }[];
  sourceUrl: string;
  fetchedAt: string | null;
};

/** Fetches the location's lineup from Pinball Map and compares it with our machines there. Writes nothing. */
export async function previewLocationSync(actor: AuditActor, locationId: string): Promise<SyncPreview> {
  requireCan(actor, "organization:manage");
  const { target, lineup } = await fetchLineupFor(actor, locationId);
  const plan = planSync(lineup.machines, await loadLocalLineup(actor.db, actor.organizationId, target.location.id));
  const catalogue = await loadCatalogue(actor.db, plan.onlyRemote);
  return {
    ...describePlan(actor, target, plan, catalogue, actor.organizationId),
    ignored: lineup.ignored,
    sourceUrl: lineup.sourceUrl,
    fetchedAt: formatWhen(actor, lineup.fetchedAt),
  };
}

/** The counts the page's message reads (app/lib/pinballmap-words.ts), and what the sync did besides. */
export interface ApplySyncResult extends SyncResultCounts {
  locationId: string;
  lastSyncAt: string;
  collections: RefreshResult | null;
}

/** The model a Pinball Map machine gets: an existing one, a new global one, or null (skipped, with the reason). */
async function modelFor(
  tx: DbOrTx,
  organizationId: string,
  catalogue: Catalogue,
  machine: PbmMachine,
  createMissingModels: boolean,
) {
  const resolution = resolveCatalogueModel(catalogue, organizationId, machine, createMissingModels);
  if (resolution.kind === "existing") return { model: resolution.model, created: false };
  if (resolution.kind === "unavailable") return { skip: resolution.reason };
  const created = await insertCatalogueModel(tx, machine);
  // Created meanwhile by someone else (unique opdbId / ipdbId): use that one.
  const model: CatalogueModel | null = created ?? (await findCatalogueModel(tx, organizationId, machine));
  if (!model) return { skip: "Its catalogue model could not be created" };
  addToCatalogue(catalogue, model);
  return { model, created: Boolean(created) };
}

/**
 * Applies a previewed sync. Refuses (conflict, nothing written) when the current plan's checksum is not the previewed
 * one; `remove` may name only-here machines only, and those with issues are kept.
 */
export async function applyLocationSync(actor: AuditActor, input: SyncApplyInput): Promise<ApplySyncResult> {
  requireCan(actor, "organization:manage");
  const { organizationId } = actor;
  const { lineup } = await fetchLineupFor(actor, input.locationId);
  return withTransaction(actor.db, async (tx) => {
    const target = await requireSyncTarget(tx, organizationId, input.locationId, { forUpdate: true });
    const local = await loadLocalLineup(tx, organizationId, target.location.id);
    const plan = planSync(lineup.machines, local);
    if (planChecksum(plan) !== input.checksum) {
      throw fail.conflict(
        "The machines on Pinball Map or at this location changed since the preview. Nothing was changed; review the new preview and confirm again.",
      );
    }
    const onlyLocal = new Map(plan.onlyLocal.map((l) => [l.id, l]));
    const requested = [...new Set(input.remove)];
    if (requested.some((id) => !onlyLocal.has(id)))
      throw fail.invalid("Only machines that are here but not on Pinball Map can be removed.");

    // 1. Models and machines for everything only on Pinball Map.
    const catalogue = await loadCatalogue(tx, plan.onlyRemote);
    const takenNames = local.map((l) => l.name);
    const skipped: ApplySyncResult["skipped"] = [];
    let added = 0;
    let modelsCreated = 0;
    for (const remote of plan.onlyRemote) {
      const found = await modelFor(tx, organizationId, catalogue, remote, target.config.createMissingModels);
      if (!found.model) {
        skipped.push({ name: remote.name, reason: found.skip });
        continue;
      }
      if (found.created) modelsCreated += 1;
      const name = machineNameFor(found.model.name, takenNames);
      takenNames.push(name);
      await insertSyncedMachine(tx, organizationId, { name, locationId: target.location.id, modelId: found.model.id });
      added += 1;
    }

    // 2. Explicitly chosen only-here machines, never one with issues.
    const removable = requested.filter((id) => onlyLocal.get(id)!.issueCount === 0);
    const removed = await deleteMachinesWithoutIssues(tx, organizationId, target.location.id, removable);

    // 3. Stamp the location and refresh automatic collections.
    const lastSyncAt = new Date();
    await markLocationSynced(tx, organizationId, target.location.id, lastSyncAt);
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
    await auditBy(tx, actor, {
      action: "pinballmap.synced",
      targetType: "Location",
      targetId: result.locationId,
      meta: { added, modelsCreated, removed, skipped: skipped.length },
    });
    return result;
  });
}
