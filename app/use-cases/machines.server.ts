/**
 * Machines (physical cabinets) and their models: the list with filters, the member detail page, the add form, and the
 * writes (create, edit, owner notification toggles, delete, custom models). A machine's model must be visible to the
 * organization (the catalogue or its own custom models), its location its own, its owner one of its members.
 * Automatic collections follow every machine change in the same transaction. QR codes are in ./qr.server.ts.
 */
import { CATEGORY_LABELS } from "../../core/issue-rules";
import { z } from "zod";
import { MACHINE_TYPE_VALUES, modelYearRange } from "../../core/machines";
import { deriveMachineStatus, isMachineStatus } from "../../core/machine-status";
import { PRESENCE_LABEL, isMachinePresence, isOnFloor } from "../../core/machine-presence";
import { getMachinePresence, listPresenceChanges } from "../../db/queries/machine-presence.server";
import { countMachineNotes } from "../../db/queries/maintenance.server";
import { Failure, fail } from "../../core/failure";
import type { DbOrTx } from "../lib/db.server";
import {
  listCollectionMachineIds,
  listCollectionsForFilter,
  refreshAutoCollections,
} from "../../db/queries/collections.server";
import { listLocationOptions, locationExists } from "../../db/queries/locations.server";
import {
  countMachineIssues,
  deleteMachineRow,
  getMachineDetail,
  getMachineOwnerId,
  insertMachine,
  listMachineIssues,
  listMachines,
  listOwnerOptions,
  lockMachine,
  machineExists,
  topPriorityOrder,
  updateMachineRow,
  updateOwnerNotifications,
} from "../../db/queries/machines.server";
import { isOrganizationMember } from "../../db/queries/members.server";
import {
  createCustomModel as insertCustomModel,
  findVisibleModel,
  listManufacturersInUse,
  listModelOptions,
  listModelsInUse,
} from "../../db/queries/models.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, requireMemberActor, type Actor } from "./actor";

const NOT_FOUND = "We could not find that machine.";

// ---------------------------------------------------------------------------------------------------------------
// Input

/** The machine form (create and edit). References are checked against the organization by the writes. */
export const machineInput = z.object({
  name: z
    .string()
    .trim()
    .max(255, "Keep the name under 255 characters")
    .optional()
    .transform((v) => v || null),
  modelId: z
    .string({ error: "Choose a model" })
    .trim()
    .min(1, "Choose a model")
    .max(64, "Choose a model from the list"),
  locationId: z
    .string({ error: "Choose a location" })
    .trim()
    .min(1, "Choose a location")
    .max(64, "Choose a location from the list"),
  ownerId: fields.optionalId.transform((v) => v ?? null),
});

export type MachineInput = z.infer<typeof machineInput>;

const checkbox = z.literal("on", { error: "Please use the checkboxes." }).optional().transform(Boolean);

export const ownerNotificationsInput = z.object({
  ownerNotificationsEnabled: checkbox,
  notifyOnNewIssues: checkbox,
  notifyOnStatusChanges: checkbox,
  notifyOnComments: checkbox,
});

const years = modelYearRange();

export const customModelInput = z.object({
  name: fields.name,
  manufacturer: z
    .string()
    .trim()
    .max(100, "Keep the manufacturer under 100 characters")
    .optional()
    .transform((v) => v || null),
  year: z
    .string()
    .trim()
    .max(4, `Enter a year between ${years.min} and ${years.max}`)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!/^\d{4}$/.test(v) || n < years.min || n > years.max) {
        ctx.addIssue({ code: "custom", message: `Enter a year between ${years.min} and ${years.max}` });
        return z.NEVER;
      }
      return n;
    }),
  machineType: z
    .enum(["", ...MACHINE_TYPE_VALUES], { error: "Choose a type from the list" })
    .optional()
    .transform((v) => v || null),
});

/** What the add form starts with, from its address ("Find" keeps the other fields; a new custom model comes back). */
const newMachinePrefill = z.object({
  modelq: z.string().trim().max(100).catch(""),
  name: z.string().max(255).catch(""),
  modelId: z.string().max(64).catch(""),
  locationId: z.string().max(64).catch(""),
  ownerId: z.string().max(64).catch(""),
});

// ---------------------------------------------------------------------------------------------------------------
// Page reads

export function canCreateMachine(actor: Actor): boolean {
  return actor.can("machine:edit") || actor.can("machine:create");
}

/** The machine list's filters as they come from the address: bounded, unknown values ignored. */
export interface MachineListQuery {
  q: string | null;
  location: string | null;
  model: string | null;
  manufacturer: string | null;
  owner: string | null;
  status: string | null;
  collection: string | null;
  page: string | null;
}

function bounded(value: string | null, max = 64): string | undefined {
  const v = value?.trim();
  return v && v.length <= max ? v : undefined;
}

const PAGE_SIZE = 25;

/** The machine list: members also see owners (and may filter by them); everyone with machine:view sees the rest. */
export async function loadMachineList(actor: Actor, query: MachineListQuery) {
  requireCan(actor, "machine:view");
  const { db, organizationId } = actor;
  const isMember = Boolean(actor.membership);
  const collectionId = bounded(query.collection);
  const machineIds = collectionId ? await listCollectionMachineIds(db, organizationId, collectionId) : undefined;
  const filters = {
    q: (query.q ?? "").trim().slice(0, 100),
    locationId: bounded(query.location),
    modelId: bounded(query.model),
    manufacturer: bounded(query.manufacturer, 200),
    ownerId: isMember ? bounded(query.owner) : undefined,
    status: isMachineStatus(query.status) ? query.status : undefined,
    machineIds,
    page: Math.max(1, Math.min(10_000, Number.parseInt(query.page ?? "1", 10) || 1)),
    pageSize: PAGE_SIZE,
  };
  const [result, locations, models, manufacturers, owners, collections] = await Promise.all([
    listMachines(db, organizationId, filters),
    listLocationOptions(db, organizationId),
    listModelsInUse(db, organizationId),
    listManufacturersInUse(db, organizationId),
    isMember ? listOwnerOptions(db, organizationId) : Promise.resolve([]),
    listCollectionsForFilter(db, organizationId),
  ]);
  return {
    isMember,
    canCreate: canCreateMachine(actor),
    filters: {
      q: filters.q,
      location: filters.locationId ?? "",
      model: filters.modelId ?? "",
      manufacturer: filters.manufacturer ?? "",
      owner: filters.ownerId ?? "",
      status: filters.status ?? "",
      collection: collectionId ?? "",
    },
    options: {
      locations,
      models: models.map((m) => ({ id: m.id, name: m.name, machineCount: Number(m.machineCount) })),
      manufacturers,
      owners,
      collections,
    },
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
    rows: result.rows.map((m) => ({
      id: m.id,
      name: m.name,
      modelName: m.modelName,
      maker: [m.manufacturer, m.year].filter(Boolean).join(" "),
      locationName: m.locationName,
      ownerName: isMember ? m.ownerName : null,
      openIssueCount: m.openIssueCount,
      status: deriveMachineStatus({
        openIssueCount: m.openIssueCount,
        maxOpenPriorityOrder: m.maxOpenPriorityOrder,
        topPriorityOrder: result.topPriorityOrder,
      }),
    })),
  };
}

/** Throws Failure("not_found") unless the machine is in the actor's organization (visitors go on to its public page). */
export async function requireMachine(actor: Actor, machineId: string): Promise<void> {
  requireCan(actor, "machine:view");
  if (!(await machineExists(actor.db, actor.organizationId, machineId))) throw fail.notFound(NOT_FOUND);
}

/** The member detail page: the machine, its status, open and recent issues, what the actor may do, the edit form's options. */
export async function loadMachinePage(actor: Actor, machineId: string, now = new Date()) {
  requireCan(actor, "machine:view");
  const { db, organizationId } = actor;
  const machine = await getMachineDetail(db, organizationId, machineId);
  if (!machine) throw fail.notFound(NOT_FOUND);
  const canEdit = actor.can("machine:edit");
  const canViewIssues = actor.can("issue:view");
  const [issues, top, owners, locations, models, presence, presenceHistory] = await Promise.all([
    canViewIssues ? listMachineIssues(db, organizationId, machineId) : Promise.resolve({ open: [], closed: [] }),
    topPriorityOrder(db, organizationId),
    canEdit ? listOwnerOptions(db, organizationId) : Promise.resolve([]),
    canEdit ? listLocationOptions(db, organizationId) : Promise.resolve([]),
    canEdit ? listModelOptions(db, organizationId, { includeId: machine.modelId }) : Promise.resolve([]),
    getMachinePresence(db, organizationId, machineId),
    listPresenceChanges(db, organizationId, machineId),
  ]);
  const presenceLabel = (p: string | null) => (isMachinePresence(p) ? PRESENCE_LABEL[p] : "Unknown");
  return {
    machine: {
      id: machine.id,
      name: machine.name,
      modelId: machine.modelId,
      modelName: machine.modelName,
      manufacturer: machine.manufacturer,
      year: machine.year,
      machineType: machine.machineType,
      opdbId: machine.opdbId,
      ipdbId: machine.ipdbId,
      isCustomModel: machine.isCustomModel,
      locationId: machine.locationId,
      locationName: machine.locationName,
      ownerId: machine.ownerId,
      ownerName: machine.ownerName,
      qrGenerated: machine.qrCodeGeneratedAt
        ? dateFormatterFor(actor.organization).relative(machine.qrCodeGeneratedAt, now)
        : null,
      notifications: {
        ownerNotificationsEnabled: machine.ownerNotificationsEnabled,
        notifyOnNewIssues: machine.notifyOnNewIssues,
        notifyOnStatusChanges: machine.notifyOnStatusChanges,
        notifyOnComments: machine.notifyOnComments,
      },
    },
    qrCodeId: machine.qrCodeId,
    presence: {
      value: presence ?? "on_floor",
      label: presenceLabel(presence),
      onFloor: isOnFloor(presence),
      history: presenceHistory.map((h) => ({
        id: h.id,
        from: presenceLabel(h.from),
        to: presenceLabel(h.to),
        who: h.actorName ?? "Someone",
        when: dateFormatterFor(actor.organization).relative(h.changedAt, now),
        at: h.changedAt.toISOString(),
      })),
    },
    status: deriveMachineStatus({
      openIssueCount: issues.open.length,
      maxOpenPriorityOrder: issues.open.length ? Math.max(...issues.open.map((i) => i.priorityOrder)) : null,
      topPriorityOrder: top,
    }),
    issues: {
      open: issues.open.map((i) => ({
        id: i.id,
        title: i.title,
        statusName: i.statusName,
        statusLabel: CATEGORY_LABELS[i.category],
        priorityName: i.priorityName,
        age: dateFormatterFor(actor.organization).relative(i.createdAt, now),
      })),
      closed: issues.closed.map((i) => ({
        id: i.id,
        title: i.title,
        statusName: i.statusName,
        age: dateFormatterFor(actor.organization).relative(i.resolvedAt ?? i.createdAt, now),
      })),
    },
    edit: canEdit ? { owners, locations, models } : null,
    can: {
      edit: canEdit,
      delete: actor.can("machine:delete"),
      notifications: canEdit || (actor.user != null && actor.user.id === machine.ownerId),
      viewIssues: canViewIssues,
      report: actor.can("issue:create"),
      maintain: Boolean(actor.membership) && actor.can("machine:maintain"),
      attach: actor.can("attachment:create"),
    },
  };
}

/** The add form: models (narrowed by the "Find" text, the chosen one kept), locations, owners, and the prefill. */
export async function loadNewMachinePage(
  actor: Actor,
  prefillQuery: Record<keyof z.infer<typeof newMachinePrefill>, string | null>,
) {
  if (!canCreateMachine(actor)) throw fail.forbidden();
  const { db, organizationId } = actor;
  const prefill = newMachinePrefill.parse(
    Object.fromEntries(Object.entries(prefillQuery).map(([k, v]) => [k, v ?? ""])),
  );
  const [models, locations, owners] = await Promise.all([
    listModelOptions(db, organizationId, { q: prefill.modelq, includeId: prefill.modelId || undefined }),
    listLocationOptions(db, organizationId),
    listOwnerOptions(db, organizationId),
  ]);
  return {
    prefill: { ...prefill, locationId: prefill.locationId || (locations.length === 1 ? locations[0].id : "") },
    models,
    locations,
    owners,
    canCreateModel: canCreateMachine(actor),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/**
 * The row to write: the model visible to the organization, the location its own, the owner a member (each refusal
 * tied to its field); the name defaults to the model's.
 */
async function checkedRow(tx: DbOrTx, organizationId: string, input: MachineInput) {
  const errors: Record<string, string> = {};
  const model = await findVisibleModel(tx, organizationId, input.modelId);
  if (!model) errors.modelId = "Choose a model from the list.";
  if (!(await locationExists(tx, organizationId, input.locationId)))
    errors.locationId = "Choose a location from the list.";
  if (input.ownerId && !(await isOrganizationMember(tx, organizationId, input.ownerId))) {
    errors.ownerId = "The owner must be a member of this organization.";
  }
  if (!model || Object.keys(errors).length)
    throw new Failure("invalid", "Please check the highlighted fields.", { fields: errors });
  return {
    name: input.name?.trim() || model.name,
    modelId: input.modelId,
    locationId: input.locationId,
    ownerId: input.ownerId || null,
  };
}

/** Adds a machine with a printable QR code; automatic collections follow in the same transaction. */
export async function createMachine(actor: Actor, input: MachineInput): Promise<{ id: string }> {
  requireMemberActor(actor);
  if (!canCreateMachine(actor)) throw fail.forbidden();
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const row = await insertMachine(tx, organizationId, await checkedRow(tx, organizationId, input));
    await refreshAutoCollections(tx, organizationId);
    return { id: row.id };
  });
}

export async function updateMachine(actor: Actor, machineId: string, input: MachineInput): Promise<void> {
  requireMemberActor(actor, "machine:edit");
  const { organizationId } = actor;
  await withTransaction(actor.db, async (tx) => {
    if (!(await lockMachine(tx, organizationId, machineId))) throw fail.notFound(NOT_FOUND);
    await updateMachineRow(tx, organizationId, machineId, await checkedRow(tx, organizationId, input));
    await refreshAutoCollections(tx, organizationId);
  });
}

/** What the owner hears about the machine: the owner may change it, and anyone with machine:edit. */
export async function updateMachineNotifications(
  actor: Actor,
  machineId: string,
  settings: z.infer<typeof ownerNotificationsInput>,
): Promise<void> {
  requireMemberActor(actor);
  const ownerId = await getMachineOwnerId(actor.db, actor.organizationId, machineId);
  if (ownerId === undefined) throw fail.notFound(NOT_FOUND);
  if (ownerId !== actor.user.id) requireCan(actor, "machine:edit");
  if (!(await updateOwnerNotifications(actor.db, actor.organizationId, machineId, settings)))
    throw fail.notFound(NOT_FOUND);
}

/** Hard delete after confirmation. Issue.machine is Restrict: a machine with issues (open or closed) is refused with the count. */
export async function deleteMachine(actor: Actor, machineId: string, confirmed: boolean): Promise<void> {
  requireMemberActor(actor, "machine:delete");
  if (!confirmed) throw fail.invalid("Tick the box to confirm the deletion.");
  const { organizationId } = actor;
  await withTransaction(actor.db, async (tx) => {
    if (!(await lockMachine(tx, organizationId, machineId))) throw fail.notFound(NOT_FOUND);
    const n = await countMachineIssues(tx, organizationId, machineId);
    const notes = await countMachineNotes(tx, organizationId, machineId);
    if (notes > 0 && n === 0) {
      throw fail.conflict(
        `This machine has ${notes} maintenance ${notes === 1 ? "note" : "notes"} and cannot be deleted, so its log is kept. Mark it “Removed” instead.`,
      );
    }
    if (n > 0) {
      throw fail.conflict(
        `This machine has ${n} ${n === 1 ? "issue" : "issues"} and cannot be deleted, so its history is kept. Move it to another location instead if it left this one.`,
      );
    }
    await deleteMachineRow(tx, organizationId, machineId);
    await refreshAutoCollections(tx, organizationId);
  });
}

/** A custom model of this organization (homebrew, prototype, anything not in the catalogue): only it sees the model. */
export async function createCustomModel(
  actor: Actor,
  input: z.infer<typeof customModelInput>,
): Promise<{ id: string }> {
  requireMemberActor(actor);
  if (!canCreateMachine(actor)) throw fail.forbidden();
  const model = await insertCustomModel(actor.db, actor.organizationId, input);
  return { id: model.id };
}
