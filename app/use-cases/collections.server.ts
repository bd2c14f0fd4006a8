/**
 * Collections of machines: the manual ones (location:edit: create, rename, delete, pick machines) with their admin
 * page, and the public browsing pages (machine:view, enabled types only). The types and the automatic collections are
 * in ./collection-types.server.ts. The forms' input rules live here, so no validation code reaches the browser. Each
 * write runs in one transaction with its audit row: on any refusal nothing is written.
 */
import { z } from "zod";
import { MAX_MACHINE_IDS, describeFilterCriteria } from "../../core/collection-rules";
import { fail } from "../../core/failure";
import {
  changeCollectionMachines,
  collectionNameTaken,
  deleteCollectionRow,
  getCollection,
  getCollectionType,
  getLocationOption,
  getPublicCollection,
  insertManualCollection,
  listMachineLocations,
  listMachineOptions,
  listPublicCollections,
  nextCollectionSortOrder,
  updateCollectionRow,
} from "../../db/queries/collections.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { requireCan, type Actor } from "./actor";
import { auditBy, type AuditActor } from "./audit.server";

type DbOrTx = Actor["db"];

// ---------------------------------------------------------------------------------------------------------------
// Input rules

/** Optional text of a collection or type form: trimmed, inner whitespace collapsed, empty → null. */
export const optionalCollectionText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .optional()
    .transform((v) => (v ? v.replace(/\s+/g, " ") : null));

/** The name of a collection or a type. */
export const collectionName = z
  .string({ error: "Give it a name" })
  .trim()
  .min(1, "Give it a name")
  .max(50, "Keep the name under 50 characters")
  .transform((v) => v.replace(/\s+/g, " "));

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(z.string().trim().min(1).max(64))
      .max(MAX_MACHINE_IDS, `Choose at most ${MAX_MACHINE_IDS} machines at a time`),
  );

export const manualCollectionCreateInput = z.object({
  name: collectionName,
  typeId: z.string({ error: "Choose a type" }).trim().min(1, "Choose a type").max(64),
  locationId: fields.optionalId,
  description: optionalCollectionText(500, "description"),
});

export const manualCollectionDetailsInput = z.object({
  name: collectionName,
  description: z
    .string()
    .trim()
    .max(500, "Keep the description under 500 characters")
    .optional()
    .transform((v) => v || null),
});

/**
 * The machine checkboxes: `machineIds` are the ticked ones, `shownIds` every one the form showed. Unticked shown
 * machines are removed; machines added meanwhile by someone else (not shown) stay.
 */
export const collectionMachinesInput = z
  .object({ machineIds: idList, shownIds: idList })
  .transform(({ machineIds, shownIds }) => {
    const checked = new Set(machineIds);
    return { add: [...checked], remove: shownIds.filter((id) => !checked.has(id)) };
  });

/** The form's output, or the same from code (tests, seeds) with the optional parts left out. */
export type ManualCollectionCreateInput = {
  name: string;
  typeId: string;
  locationId?: string | null;
  description?: string | null;
};
export type ManualCollectionDetailsInput = z.infer<typeof manualCollectionDetailsInput>;
export type CollectionMachinesChange = z.infer<typeof collectionMachinesInput>;

const COLLECTION_NOT_FOUND = "That collection does not exist.";
const NAME_TAKEN = "A collection with that name already exists here.";

// ---------------------------------------------------------------------------------------------------------------
// Page reads

/** /admin/collections/<id>: the collection, and its machines (a manual one: every candidate, with a checkbox). */
export async function loadAdminCollectionPage(actor: Actor, collectionId: string) {
  requireCan(actor, "organization:manage", "location:edit");
  const { db, organizationId } = actor;
  const collection = await getCollection(db, organizationId, collectionId);
  if (!collection) throw fail.notFound(COLLECTION_NOT_FOUND);
  const isManual = collection.isManual && !collection.typeIsAuto;
  const options = await listMachineOptions(db, organizationId, {
    locationId: collection.locationId,
    collectionId: collection.id,
  });
  return {
    collection: {
      id: collection.id,
      name: collection.name,
      description: collection.description,
      typeLabel: collection.typeLabel,
      typeIsEnabled: collection.typeIsEnabled,
      locationName: collection.locationName,
      machineCount: collection.machineCount,
      criteria: describeFilterCriteria(collection.filterCriteria),
      isManual,
    },
    canEdit: isManual && actor.can("location:edit"),
    // Automatic collections only list their members; manual ones list every candidate with a checkbox.
    machines: isManual ? options : options.filter((o) => o.inCollection),
  };
}

/** /collections: enabled types with their collections and machine counts. */
export async function loadPublicCollections(actor: Actor) {
  requireCan(actor, "machine:view");
  return {
    organizationName: actor.organization.name,
    canManage: actor.can("organization:manage") || actor.can("location:edit"),
    groups: await listPublicCollections(actor.db, actor.organizationId),
  };
}

export const PUBLIC_COLLECTION_PAGE_SIZE = 50;

/** /collections/<id>: one page of a collection's machines, when its type is enabled. */
export async function loadPublicCollectionPage(actor: Actor, collectionId: string, page: number) {
  requireCan(actor, "machine:view");
  const size = PUBLIC_COLLECTION_PAGE_SIZE;
  const found = await getPublicCollection(actor.db, actor.organizationId, collectionId, {
    limit: size,
    offset: (page - 1) * size,
  });
  if (!found) throw fail.notFound("We could not find that collection.");
  return {
    collection: {
      id: found.collection.id,
      name: found.collection.name,
      description: found.collection.description,
      typeLabel: found.collection.typeLabel,
      locationName: found.collection.locationName,
    },
    machines: found.machines,
    total: found.total,
    page,
    pages: Math.max(1, Math.ceil(found.total / size)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Manual collections (location:edit)

/** A manual collection of the organization; automatic ones are refused (their machines follow the models). */
async function requireManualCollection(db: DbOrTx, organizationId: string, collectionId: string) {
  const collection = await getCollection(db, organizationId, collectionId);
  if (!collection) throw fail.notFound(COLLECTION_NOT_FOUND);
  if (!collection.isManual || collection.typeIsAuto) {
    throw fail.invalid(
      "This collection is generated automatically; change the machines' models or regenerate instead.",
    );
  }
  return collection;
}

/** Creates an empty manual collection of a manual type, optionally tied to one of the organization's locations. */
export async function createManualCollection(actor: AuditActor, input: ManualCollectionCreateInput) {
  requireCan(actor, "location:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const type = await getCollectionType(tx, organizationId, input.typeId);
    if (!type) throw fail.invalid("Choose one of the collection types.", "typeId");
    if (type.isAutoGenerated) throw fail.invalid(`“${type.label}” collections are generated automatically.`, "typeId");
    let locationId: string | null = null;
    if (input.locationId) {
      const location = await getLocationOption(tx, organizationId, input.locationId);
      if (!location) throw fail.invalid("Choose one of your locations.", "locationId");
      locationId = location.id;
    }
    if (await collectionNameTaken(tx, type.id, locationId, input.name)) throw fail.invalid(NAME_TAKEN, "name");
    const created = await insertManualCollection(tx, {
      name: input.name,
      typeId: type.id,
      locationId,
      description: input.description || null,
      sortOrder: await nextCollectionSortOrder(tx, type.id),
    });
    if (!created) throw fail.invalid(NAME_TAKEN, "name");
    await auditBy(tx, actor, {
      action: "collection.created",
      targetType: "Collection",
      targetId: created.id,
      meta: { name: input.name, typeId: input.typeId, locationId: input.locationId ?? null },
    });
    return { id: created.id, name: input.name };
  });
}

/** Renames / re-describes a manual collection. */
export async function updateManualCollection(
  actor: AuditActor,
  collectionId: string,
  input: ManualCollectionDetailsInput,
): Promise<void> {
  requireCan(actor, "location:edit");
  const { organizationId } = actor;
  await withTransaction(actor.db, async (tx) => {
    const collection = await requireManualCollection(tx, organizationId, collectionId);
    if (await collectionNameTaken(tx, collection.typeId, collection.locationId, input.name, collection.id)) {
      throw fail.invalid(NAME_TAKEN, "name");
    }
    if (!(await updateCollectionRow(tx, collection, { name: input.name, description: input.description || null }))) {
      throw fail.invalid(NAME_TAKEN, "name");
    }
    await auditBy(tx, actor, {
      action: "collection.updated",
      targetType: "Collection",
      targetId: collection.id,
      meta: { name: input.name },
    });
  });
}

/** Deletes a manual collection (its memberships go with it; machines are untouched). */
export async function deleteManualCollection(actor: AuditActor, collectionId: string) {
  requireCan(actor, "location:edit");
  return withTransaction(actor.db, async (tx) => {
    const collection = await requireManualCollection(tx, actor.organizationId, collectionId);
    await deleteCollectionRow(tx, collection);
    await auditBy(tx, actor, {
      action: "collection.deleted",
      targetType: "Collection",
      targetId: collection.id,
      meta: { name: collection.name },
    });
    return { name: collection.name };
  });
}

/**
 * Checks that every id is a machine of the organization (and, for a collection tied to a location, at that
 * location). Any unknown or foreign id fails the whole request.
 */
async function requireOrgMachines(
  db: DbOrTx,
  organizationId: string,
  machineIds: readonly string[],
  locationId: string | null,
) {
  const ids = [...new Set(machineIds)];
  if (ids.length === 0) return [];
  if (ids.length > MAX_MACHINE_IDS)
    throw fail.invalid(`Choose at most ${MAX_MACHINE_IDS} machines at a time.`, "machineIds");
  const rows = await listMachineLocations(db, organizationId, ids);
  if (rows.length !== ids.length) throw fail.notFound("One or more of those machines do not exist.");
  if (locationId && rows.some((r) => r.locationId !== locationId)) {
    throw fail.invalid("Only machines at this collection's location can be added.", "machineIds");
  }
  return ids;
}

/** Adds and removes machines of a manual collection; all or nothing. Returns how many were added and removed. */
export async function updateCollectionMachines(
  actor: AuditActor,
  collectionId: string,
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<{ added: number; removed: number }> {
  requireCan(actor, "location:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const collection = await requireManualCollection(tx, organizationId, collectionId);
    const add = await requireOrgMachines(tx, organizationId, change.add, collection.locationId);
    const addSet = new Set(add);
    const remove = (await requireOrgMachines(tx, organizationId, change.remove, null)).filter((id) => !addSet.has(id));
    const result = await changeCollectionMachines(tx, collection.id, { add, remove });
    if (result.added || result.removed) {
      await auditBy(tx, actor, {
        action: "collection.machines_changed",
        targetType: "Collection",
        targetId: collection.id,
        meta: { ...result },
      });
    }
    return result;
  });
}
