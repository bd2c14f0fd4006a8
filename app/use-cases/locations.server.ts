/**
 * Locations: the venues of an organization. Page reads and the three writes (create, update, delete); the form's
 * input rules live here too, so no validation code reaches the browser.
 */
import { z } from "zod";
import { deriveMachineStatus } from "../../core/machine-status";
import { Failure, fail } from "../../core/failure";
import { listCollectionMachineIds, listCollectionsForFilter } from "../../db/queries/collections.server";
import { withTransaction } from "../../db/transaction.server";
import {
  countMachinesAtLocation,
  createLocation as insertLocation,
  deleteLocationRow,
  getLocation,
  lockLocation,
  listLocationsWithCounts,
  updateLocation as saveLocation,
} from "../../db/queries/locations.server";
import { listMachines } from "../../db/queries/machines.server";
import { fields } from "../lib/fields.server";
import { requireCan, type Actor } from "./actor";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .optional()
    .transform((v) => v || null);

export const locationInput = z.object({
  name: fields.name,
  street: optionalText(255, "street"),
  city: optionalText(100, "city"),
  state: optionalText(100, "state"),
  zip: optionalText(20, "ZIP code"),
  phone: z
    .string()
    .trim()
    .max(50, "Keep the phone number under 50 characters")
    .regex(/^[0-9+()./\s-]*$/, "Use digits, spaces and + ( ) - only")
    .optional()
    .transform((v) => v || null),
  website: z
    .string()
    .trim()
    .max(500, "Keep the address under 500 characters")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
      try {
        const url = new URL(withScheme);
        if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes("."))
          return url.toString();
      } catch {
        // not a URL: reported below
      }
      ctx.addIssue({ code: "custom", message: "Enter a web address like https://example.com" });
      return z.NEVER;
    }),
  description: optionalText(2000, "description"),
  pinballMapId: z
    .string()
    .trim()
    .max(12, "Enter the number from the Pinball Map address")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2_000_000_000) {
        ctx.addIssue({
          code: "custom",
          message: "Enter the number from the Pinball Map address (a positive whole number)",
        });
        return z.NEVER;
      }
      return Number(v);
    }),
});

export type LocationInput = z.infer<typeof locationInput>;

const NOT_FOUND = "We could not find that location.";

export function canCreateLocation(actor: Actor): boolean {
  return actor.can("location:edit") || actor.can("location:create");
}

export async function listLocations(actor: Actor) {
  requireCan(actor, "location:view");
  return listLocationsWithCounts(actor.db, actor.organizationId);
}

/** The location page: the venue, and (with machine:view) its machines filtered by text and collection. */
export async function loadLocationPage(actor: Actor, locationId: string, filter: { q: string; collection?: string }) {
  requireCan(actor, "location:view");
  const { db, organizationId } = actor;
  const location = await getLocation(db, organizationId, locationId);
  if (!location) throw fail.notFound(NOT_FOUND);
  const canMachines = actor.can("machine:view");
  const collectionOptions = canMachines
    ? await listCollectionsForFilter(db, organizationId, { locationId: location.id })
    : [];
  const collection = collectionOptions.find((c) => c.id === filter.collection);
  const machineIds = collection ? await listCollectionMachineIds(db, organizationId, collection.id) : undefined;
  const machines = canMachines
    ? await listMachines(db, organizationId, { locationId: location.id, q: filter.q, machineIds, pageSize: 500 })
    : null;
  const isMember = Boolean(actor.membership);
  return {
    location,
    collection: collection?.id ?? "",
    collections: collectionOptions.filter((c) => c.machineCount > 0),
    isMember,
    machines: machines && {
      total: machines.total,
      rows: machines.rows.map((m) => ({
        id: m.id,
        name: m.name,
        subtitle: [m.modelName !== m.name ? m.modelName : null, m.manufacturer, m.year].filter(Boolean).join(" · "),
        ownerName: isMember ? m.ownerName : null,
        openIssueCount: m.openIssueCount,
        status: deriveMachineStatus({
          openIssueCount: m.openIssueCount,
          maxOpenPriorityOrder: m.maxOpenPriorityOrder,
          topPriorityOrder: machines.topPriorityOrder,
        }),
      })),
    },
    can: {
      edit: actor.can("location:edit"),
      delete: actor.can("location:delete"),
      addMachine: actor.can("machine:edit") || actor.can("machine:create"),
      printLabels: actor.can("machine:edit"),
    },
  };
}

export async function createLocation(actor: Actor, input: LocationInput) {
  if (!canCreateLocation(actor)) throw fail.forbidden();
  return insertLocation(actor.db, actor.organizationId, input);
}

export async function updateLocation(actor: Actor, locationId: string, input: LocationInput): Promise<void> {
  requireCan(actor, "location:edit");
  if (!(await saveLocation(actor.db, actor.organizationId, locationId, input))) throw fail.notFound(NOT_FOUND);
}

/** Deletes an empty location; one that still has machines is refused with their count (Machine.location is Restrict). */
export async function deleteLocation(actor: Actor, locationId: string, confirmed: boolean): Promise<void> {
  requireCan(actor, "location:delete");
  if (!confirmed) throw new Failure("invalid", "Tick the box to confirm the deletion.", { field: "delete" });
  const { organizationId } = actor;
  await withTransaction(actor.db, async (tx) => {
    if (!(await lockLocation(tx, organizationId, locationId))) throw fail.notFound(NOT_FOUND);
    const machineCount = await countMachinesAtLocation(tx, organizationId, locationId);
    if (machineCount > 0) {
      const one = machineCount === 1;
      throw new Failure(
        "conflict",
        `This location still has ${machineCount} ${one ? "machine" : "machines"}. Move ${one ? "it" : "them"} to another location or remove ${one ? "it" : "them"} first.`,
        { field: "delete" },
      );
    }
    await deleteLocationRow(tx, organizationId, locationId);
  });
}
