/** Locations of an organization: list with counts, detail, create/update/delete (delete refused while machines are there). */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { LocationDetails } from "../../core/locations";
import type { DbOrTx } from "../client.server";
import { checkLocationOptions } from "../reference/options.server";
import { issueStatuses, issues, locations, machines } from "../schema";
import { validationEnabled } from "../validate.server";

export interface LocationInput extends LocationDetails {
  name: string;
  pinballMapId?: number | null;
}

export interface LocationSummary {
  id: string;
  name: string;
  city: string | null;
  state: string | null;
  machineCount: number;
  openIssueCount: number;
}

/** Every location of the organization by name, with machine and open-issue counts (two grouped subqueries, no N+1). */
export async function listLocationsWithCounts(db: DbOrTx, organizationId: string): Promise<LocationSummary[]> {
  const machineCounts = db
    .select({ locationId: machines.locationId, n: sql<number>`count(*)::int`.as("machineCount") })
    .from(machines)
    .where(eq(machines.organizationId, organizationId))
    .groupBy(machines.locationId)
    .as("mc");
  const openCounts = db
    .select({ locationId: machines.locationId, n: sql<number>`count(*)::int`.as("openCount") })
    .from(issues)
    .innerJoin(machines, and(eq(machines.id, issues.machineId), eq(machines.organizationId, organizationId)))
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(and(eq(issues.organizationId, organizationId), ne(issueStatuses.category, "RESOLVED")))
    .groupBy(machines.locationId)
    .as("oc");
  const rows = await db
    .select({
      id: locations.id,
      name: locations.name,
      city: locations.city,
      state: locations.state,
      machineCount: sql<number>`coalesce(${machineCounts.n}, 0)`,
      openIssueCount: sql<number>`coalesce(${openCounts.n}, 0)`,
    })
    .from(locations)
    .leftJoin(machineCounts, eq(machineCounts.locationId, locations.id))
    .leftJoin(openCounts, eq(openCounts.locationId, locations.id))
    .where(eq(locations.organizationId, organizationId))
    .orderBy(asc(locations.name));
  return rows.map((r) => ({ ...r, machineCount: Number(r.machineCount), openIssueCount: Number(r.openIssueCount) }));
}

/** id + name of every location, for pickers. */
export async function listLocationOptions(db: DbOrTx, organizationId: string) {
  const rows = await db
    .select({ id: locations.id, name: locations.name })
    .from(locations)
    .where(eq(locations.organizationId, organizationId))
    .orderBy(asc(locations.name), asc(locations.id));
  if (validationEnabled()) await checkLocationOptions(db, organizationId, rows);
  return rows;
}

export async function getLocation(db: DbOrTx, organizationId: string, locationId: string) {
  const [row] = await db
    .select({
      id: locations.id,
      name: locations.name,
      street: locations.street,
      city: locations.city,
      state: locations.state,
      zip: locations.zip,
      phone: locations.phone,
      website: locations.website,
      description: locations.description,
      pinballMapId: locations.pinballMapId,
      lastSyncAt: locations.lastSyncAt,
    })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export async function locationExists(db: DbOrTx, organizationId: string, locationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .limit(1);
  return Boolean(row);
}

function columns(input: LocationInput) {
  return {
    name: input.name,
    street: input.street ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    zip: input.zip ?? null,
    phone: input.phone ?? null,
    website: input.website ?? null,
    description: input.description ?? null,
    pinballMapId: input.pinballMapId ?? null,
  };
}

export async function createLocation(db: DbOrTx, organizationId: string, input: LocationInput) {
  const [row] = await db
    .insert(locations)
    .values({ ...columns(input), organizationId })
    .returning({ id: locations.id, name: locations.name });
  return row;
}

/** Returns false when no location with that id exists in the organization. */
export async function updateLocation(
  db: DbOrTx,
  organizationId: string,
  locationId: string,
  input: LocationInput,
): Promise<boolean> {
  const rows = await db
    .update(locations)
    .set(columns(input))
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .returning({ id: locations.id });
  return rows.length > 0;
}

/** Locks the location row for the rest of the transaction; false when it is not in the organization. */
export async function lockLocation(tx: DbOrTx, organizationId: string, locationId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
    .for("update")
    .limit(1);
  return Boolean(row);
}

export async function countMachinesAtLocation(db: DbOrTx, organizationId: string, locationId: string): Promise<number> {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(machines)
    .where(and(eq(machines.locationId, locationId), eq(machines.organizationId, organizationId)));
  return Number(c?.n ?? 0);
}

/** Deletes the location row (Machine.location is Restrict: the caller checks that no machines are left). */
export async function deleteLocationRow(db: DbOrTx, organizationId: string, locationId: string): Promise<void> {
  await db.delete(locations).where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)));
}
