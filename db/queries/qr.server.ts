/**
 * QR codes. Every machine has a random public token `qrCodeId` (separate from its id); a printed sticker encodes
 * `/qr/<qrCodeId>` on the organization's host. Regenerating replaces the token, so old stickers stop working.
 * `qrCodeGeneratedAt` records when the current code was (re)generated; machines without it have never had a label
 * made (the code still works).
 */
import { createId } from "@paralleldrive/cuid2";
import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { reusableQuery } from "../reusable-query.server";
import type { DbOrTx } from "../client.server";
import { crossCheck, validationEnabled } from "../validate.server";
import { locations, machines, models, organizations } from "../schema";

/** Shape check for a code from a URL before it reaches the database (cuid2 / our tokens: letters, digits, - and _). */
export function isPlausibleQrCode(code: string | undefined | null): code is string {
  return typeof code === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(code);
}

/**
 * The machine a code points at, in the organization with this subdomain only: a code of another organization, or an
 * address with no organization, is "not found". One statement for a whole scan.
 */
// Every scan of a sticker (/qr/<code>).
const machineByQrCodeQuery = reusableQuery("machine_by_qr_code", (db, name) =>
  db
    .select({ id: machines.id, name: machines.name })
    .from(machines)
    .innerJoin(organizations, eq(organizations.id, machines.organizationId))
    .where(
      and(
        eq(machines.qrCodeId, sql.placeholder("qrCodeId")),
        eq(organizations.subdomain, sql.placeholder("subdomain")),
      ),
    )
    .limit(1)
    .prepare(name),
);

export async function findMachineByQrCode(db: DbOrTx, subdomain: string, qrCodeId: string) {
  if (!isPlausibleQrCode(qrCodeId)) return null;
  const [row] = await machineByQrCodeQuery(db).execute({ qrCodeId, subdomain });
  const result = row ?? null;
  if (validationEnabled()) {
    await crossCheck(
      db,
      "machine by QR code",
      result,
      sql`select m.id, m.name from "Machine" m join "Organization" o on o.id = m."organizationId"
          where m."qrCodeId" = ${qrCodeId} and o.subdomain = ${subdomain} limit 1`,
      (ref) => (ref[0] ? { id: ref[0].id, name: ref[0].name } : null),
    );
  }
  return result;
}

export async function getMachineQr(db: DbOrTx, organizationId: string, machineId: string) {
  const [row] = await db
    .select({
      id: machines.id,
      name: machines.name,
      qrCodeId: machines.qrCodeId,
      qrCodeGeneratedAt: machines.qrCodeGeneratedAt,
    })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

/** New token for one machine; returns it, or null when the machine is not in the organization. */
export async function regenerateMachineQr(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
): Promise<string | null> {
  const qrCodeId = createId();
  const rows = await db
    .update(machines)
    .set({ qrCodeId, qrCodeGeneratedAt: new Date(), qrCodeUrl: null })
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .returning({ id: machines.id });
  return rows.length ? qrCodeId : null;
}

/** New tokens for every machine of the organization (one statement); returns how many machines changed. */
export async function regenerateAllQr(db: DbOrTx, organizationId: string): Promise<number> {
  const rows = await db
    .update(machines)
    .set({
      qrCodeId: sql`replace(gen_random_uuid()::text, '-', '')`,
      qrCodeGeneratedAt: new Date(),
      qrCodeUrl: null,
    })
    .where(eq(machines.organizationId, organizationId))
    .returning({ id: machines.id });
  return rows.length;
}

/** Marks the codes of machines that never had a label as generated (their tokens are kept). */
export async function generateMissingQr(db: DbOrTx, organizationId: string): Promise<number> {
  const rows = await db
    .update(machines)
    .set({ qrCodeGeneratedAt: new Date() })
    .where(and(eq(machines.organizationId, organizationId), isNull(machines.qrCodeGeneratedAt)))
    .returning({ id: machines.id });
  return rows.length;
}

export async function qrStats(db: DbOrTx, organizationId: string) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      withQr: sql<number>`count(${machines.qrCodeGeneratedAt})::int`,
    })
    .from(machines)
    .where(eq(machines.organizationId, organizationId));
  const total = Number(row?.total ?? 0);
  const withQr = Number(row?.withQr ?? 0);
  return { total, withQr, withoutQr: total - withQr };
}

export interface LabelMachine {
  id: string;
  name: string;
  qrCodeId: string;
  modelName: string;
  manufacturer: string | null;
  year: number | null;
  locationName: string;
}

/** Machines for a label sheet: all of a location, or an explicit id list (e.g. a collection), by location then name. */
export async function listLabelMachines(
  db: DbOrTx,
  organizationId: string,
  opts: { locationId?: string; machineIds?: string[] },
): Promise<LabelMachine[]> {
  const conditions: SQL[] = [eq(machines.organizationId, organizationId)];
  if (opts.locationId) conditions.push(eq(machines.locationId, opts.locationId));
  if (opts.machineIds) {
    if (!opts.machineIds.length) return [];
    conditions.push(inArray(machines.id, opts.machineIds));
  }
  return db
    .select({
      id: machines.id,
      name: machines.name,
      qrCodeId: machines.qrCodeId,
      modelName: models.name,
      manufacturer: models.manufacturer,
      year: models.year,
      locationName: locations.name,
    })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .where(and(...conditions))
    .orderBy(asc(locations.name), asc(machines.name))
    .limit(2000);
}
