/**
 * Models: the global catalogue (Model.organizationId null: OPDB / Pinball Map titles shared by every organization)
 * plus each organization's custom models (organizationId set, isCustom true). An organization sees the catalogue
 * and its own custom models, never another organization's.
 */
import { and, asc, count, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkModelOptions } from "../reference/machines.server";
import { machines, models } from "../schema";
import { validationEnabled } from "../validate.server";
import { containsPattern } from "./search.server";

/** The models an organization may see and use. */
export function modelVisibleTo(organizationId: string): SQL {
  return or(isNull(models.organizationId), eq(models.organizationId, organizationId)) as SQL;
}

export interface ModelOption {
  id: string;
  name: string;
  manufacturer: string | null;
  year: number | null;
  isCustom: boolean;
}

const optionColumns = {
  id: models.id,
  name: models.name,
  manufacturer: models.manufacturer,
  year: models.year,
  isCustom: models.isCustom,
};

/** Models for the machine form's picker: catalogue + this organization's custom models, optionally filtered by text. */
export async function listModelOptions(
  db: DbOrTx,
  organizationId: string,
  opts: { q?: string; limit?: number; includeId?: string } = {},
): Promise<ModelOption[]> {
  const limit = Math.min(Math.max(opts.limit ?? 500, 1), 1000);
  const conditions: SQL[] = [modelVisibleTo(organizationId)];
  const q = opts.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    conditions.push(or(ilike(models.name, pattern), ilike(models.manufacturer, pattern)) as SQL);
  }
  const rows = await db
    .select(optionColumns)
    .from(models)
    .where(and(...conditions))
    .orderBy(sql`${models.isCustom} desc`, asc(models.name), asc(models.year), asc(models.id))
    .limit(limit);
  // Keep the currently chosen model in the list even when the filter would hide it.
  if (opts.includeId && !rows.some((r) => r.id === opts.includeId)) {
    const chosen = await findVisibleModel(db, organizationId, opts.includeId);
    if (chosen)
      rows.unshift({
        id: chosen.id,
        name: chosen.name,
        manufacturer: chosen.manufacturer,
        year: chosen.year,
        isCustom: chosen.isCustom,
      });
  }
  // The machine page's picker has no search; a search's matching (ILIKE) is not cross-checked.
  if (validationEnabled() && !q)
    await checkModelOptions(db, organizationId, { limit, includeId: opts.includeId }, rows);
  return rows;
}

export async function findVisibleModel(db: DbOrTx, organizationId: string, modelId: string) {
  const [row] = await db
    .select({
      ...optionColumns,
      machineType: models.machineType,
      opdbId: models.opdbId,
      ipdbId: models.ipdbId,
      organizationId: models.organizationId,
    })
    .from(models)
    .where(and(eq(models.id, modelId), modelVisibleTo(organizationId)))
    .limit(1);
  return row ?? null;
}

/** Models in use by this organization's machines, with how many machines use each (the machine list filter). */
export async function listModelsInUse(db: DbOrTx, organizationId: string) {
  return db
    .select({ id: models.id, name: models.name, manufacturer: models.manufacturer, machineCount: count(machines.id) })
    .from(models)
    .innerJoin(machines, and(eq(machines.modelId, models.id), eq(machines.organizationId, organizationId)))
    .groupBy(models.id, models.name, models.manufacturer)
    .orderBy(asc(models.name));
}

/** Distinct manufacturers of this organization's machines (the machine list filter). */
export async function listManufacturersInUse(db: DbOrTx, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ manufacturer: models.manufacturer })
    .from(models)
    .innerJoin(machines, and(eq(machines.modelId, models.id), eq(machines.organizationId, organizationId)))
    .where(sql`${models.manufacturer} is not null and ${models.manufacturer} <> ''`)
    .orderBy(asc(models.manufacturer));
  return rows.map((r) => r.manufacturer).filter((m): m is string => Boolean(m));
}

export interface CustomModelInput {
  name: string;
  manufacturer?: string | null;
  year?: number | null;
  machineType?: string | null;
}

/** A custom model of this organization (homebrew, prototype, anything not in OPDB). */
export async function createCustomModel(db: DbOrTx, organizationId: string, input: CustomModelInput) {
  const [row] = await db
    .insert(models)
    .values({
      name: input.name,
      manufacturer: input.manufacturer ?? null,
      year: input.year ?? null,
      machineType: input.machineType ?? null,
      isCustom: true,
      organizationId,
    })
    .returning({ id: models.id, name: models.name });
  return row;
}
