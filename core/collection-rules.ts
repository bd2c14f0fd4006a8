/**
 * Pure rules for automatic collections (no database): which org-wide collections an automatic collection type
 * produces from the organization's machines, and which machines belong to each.
 *
 * - sourceField "manufacturer": one collection per manufacturer of the org's machines (the model's manufacturer).
 *   Spelling variants that differ only in case or spacing ("Stern", " stern ") form one group; the name shown is the
 *   most common spelling (ties: alphabetical). Different companies stay apart ("Stern" ≠ "Stern Electronics").
 *   Machines without a manufacturer are in no manufacturer collection.
 * - sourceField "year": eras 1970s, 1980s, 1990s, 2000s, 2010s, 2020s (filterCriteria {yearStart, yearEnd}); eras
 *   without machines are skipped; machines without a year or outside 1970–2029 are in no era.
 *
 * Used by db/queries/collections.server.ts refreshAutoCollections and unit-tested in tests/unit/collection-rules.test.ts.
 */

export const AUTO_SOURCE_FIELDS = ["manufacturer", "year"] as const;
export type AutoSourceField = (typeof AUTO_SOURCE_FIELDS)[number];

export function isAutoSourceField(value: unknown): value is AutoSourceField {
  return typeof value === "string" && (AUTO_SOURCE_FIELDS as readonly string[]).includes(value);
}

/** The built-in manual type (rooms of a location): it can be disabled or renamed for display, not deleted. */
export const PROTECTED_TYPE_NAME = "Rooms";

/** Most machine ids one request may name (bounded work per request). */
export const MAX_MACHINE_IDS = 1000;

export const SOURCE_FIELD_LABELS: Record<AutoSourceField, string> = {
  manufacturer: "Manufacturer of the machine's model",
  year: "Year of the machine's model (grouped by decade)",
};

export interface Era {
  name: string;
  yearStart: number;
  yearEnd: number;
}

/** The eras of the product, oldest first. */
export const ERAS: readonly Era[] = [1970, 1980, 1990, 2000, 2010, 2020].map((start) => ({
  name: `${start}s`,
  yearStart: start,
  yearEnd: start + 9,
}));

/** The era a year falls in, or null for no year / years outside the eras. */
export function eraForYear(year: number | null | undefined): Era | null {
  if (year === null || year === undefined || !Number.isInteger(year)) return null;
  return ERAS.find((e) => year >= e.yearStart && year <= e.yearEnd) ?? null;
}

/** Trims and collapses inner whitespace; empty → null. */
export function cleanManufacturer(name: string | null | undefined): string | null {
  if (typeof name !== "string") return null;
  const cleaned = name.trim().replace(/\s+/g, " ");
  return cleaned ? cleaned : null;
}

/** Grouping key of a manufacturer name (case- and spacing-insensitive). */
export function manufacturerKey(name: string | null | undefined): string | null {
  const cleaned = cleanManufacturer(name);
  return cleaned ? cleaned.toLocaleLowerCase("en") : null;
}

/** The machine facts the rules need (from Machine + its Model). */
export interface RuleMachine {
  id: string;
  manufacturer: string | null;
  year: number | null;
}

export type FilterCriteria = { manufacturer: string } | { yearStart: number; yearEnd: number };

/** One automatic collection the rules ask for. */
export interface PlannedAutoCollection {
  name: string;
  sortOrder: number;
  filterCriteria: FilterCriteria;
  /** Sorted machine ids. */
  machineIds: string[];
}

export interface ManufacturerGroup {
  name: string;
  machineIds: string[];
}

/** Machines grouped by manufacturer, groups sorted by name (case-insensitive), ids sorted. */
export function groupByManufacturer(machines: readonly RuleMachine[]): ManufacturerGroup[] {
  const groups = new Map<string, { ids: string[]; spellings: Map<string, number> }>();
  for (const m of machines) {
    const key = manufacturerKey(m.manufacturer);
    if (!key) continue;
    const spelling = cleanManufacturer(m.manufacturer)!;
    let g = groups.get(key);
    if (!g) {
      g = { ids: [], spellings: new Map() };
      groups.set(key, g);
    }
    g.ids.push(m.id);
    g.spellings.set(spelling, (g.spellings.get(spelling) ?? 0) + 1);
  }
  const out: ManufacturerGroup[] = [];
  for (const g of groups.values()) {
    const name = [...g.spellings.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0][0];
    out.push({ name, machineIds: [...g.ids].sort() });
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}

export interface EraGroup extends Era {
  machineIds: string[];
}

/** Machines grouped by era, oldest first, empty eras skipped, ids sorted. */
export function groupByEra(machines: readonly RuleMachine[]): EraGroup[] {
  const byEra = new Map<string, string[]>();
  for (const m of machines) {
    const era = eraForYear(m.year);
    if (!era) continue;
    const list = byEra.get(era.name) ?? [];
    list.push(m.id);
    byEra.set(era.name, list);
  }
  return ERAS.filter((e) => byEra.has(e.name)).map((e) => ({ ...e, machineIds: [...byEra.get(e.name)!].sort() }));
}

/** The automatic collections a type with this source field should have, given the org's machines. */
export function planAutoCollections(
  sourceField: AutoSourceField,
  machines: readonly RuleMachine[],
): PlannedAutoCollection[] {
  if (sourceField === "manufacturer") {
    // sortOrder 0: manufacturers list by name, and a new manufacturer does not renumber all the others.
    return groupByManufacturer(machines).map((g) => ({
      name: g.name,
      sortOrder: 0,
      filterCriteria: { manufacturer: g.name },
      machineIds: g.machineIds,
    }));
  }
  return groupByEra(machines).map((g) => ({
    name: g.name,
    sortOrder: ERAS.findIndex((e) => e.name === g.name) + 1,
    filterCriteria: { yearStart: g.yearStart, yearEnd: g.yearEnd },
    machineIds: g.machineIds,
  }));
}

/** An automatic collection as stored, with its current machines. */
export interface ExistingAutoCollection {
  id: string;
  name: string;
  sortOrder: number;
  filterCriteria: unknown;
  machineIds: ReadonlySet<string>;
}

/** What a refresh must write to turn the stored automatic collections of one type into the planned ones. */
export interface AutoCollectionChanges {
  create: PlannedAutoCollection[];
  /** Existing collections to change: new name / order / criteria (or null when those stay), machines to add and remove. */
  update: { id: string; meta: Omit<PlannedAutoCollection, "machineIds"> | null; add: string[]; remove: string[] }[];
  /** Existing collections that are already right. */
  unchanged: number;
  /** Ids of existing collections nothing matches any more. */
  remove: string[];
}

/**
 * Compares the planned automatic collections of a type with the stored ones. A planned collection is the stored one
 * with the same name (case-insensitive), so renaming a manufacturer's spelling keeps the collection and its id.
 */
export function diffAutoCollections(
  planned: readonly PlannedAutoCollection[],
  existing: readonly ExistingAutoCollection[],
): AutoCollectionChanges {
  const changes: AutoCollectionChanges = { create: [], update: [], unchanged: 0, remove: [] };
  const byName = new Map(existing.map((c) => [c.name.toLocaleLowerCase("en"), c]));
  const kept = new Set<string>();
  for (const plan of planned) {
    const current = byName.get(plan.name.toLocaleLowerCase("en"));
    if (!current) {
      changes.create.push(plan);
      continue;
    }
    kept.add(current.id);
    const want = new Set(plan.machineIds);
    const add = plan.machineIds.filter((id) => !current.machineIds.has(id));
    const remove = [...current.machineIds].filter((id) => !want.has(id));
    const metaChanged =
      current.name !== plan.name ||
      current.sortOrder !== plan.sortOrder ||
      stableJson(current.filterCriteria) !== stableJson(plan.filterCriteria);
    if (metaChanged || add.length > 0 || remove.length > 0) {
      const meta = metaChanged
        ? { name: plan.name, sortOrder: plan.sortOrder, filterCriteria: plan.filterCriteria }
        : null;
      changes.update.push({ id: current.id, meta, add, remove });
    } else {
      changes.unchanged += 1;
    }
  }
  changes.remove = existing.filter((c) => !kept.has(c.id)).map((c) => c.id);
  return changes;
}

/** JSON with sorted keys (jsonb does not keep key order, so plain JSON.stringify would see changes that are none). */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
}

/** Whether a machine satisfies stored filterCriteria (unknown shapes match nothing). */
export function matchesFilterCriteria(criteria: unknown, machine: RuleMachine): boolean {
  if (!criteria || typeof criteria !== "object") return false;
  const c = criteria as Record<string, unknown>;
  if (typeof c.manufacturer === "string") {
    const key = manufacturerKey(machine.manufacturer);
    return key !== null && key === manufacturerKey(c.manufacturer);
  }
  if (typeof c.yearStart === "number" && typeof c.yearEnd === "number") {
    return machine.year !== null && machine.year >= c.yearStart && machine.year <= c.yearEnd;
  }
  return false;
}

/** Human description of filterCriteria for admin pages. */
export function describeFilterCriteria(criteria: unknown): string | null {
  if (!criteria || typeof criteria !== "object") return null;
  const c = criteria as Record<string, unknown>;
  if (typeof c.manufacturer === "string") return `Manufacturer is ${c.manufacturer}`;
  if (typeof c.yearStart === "number" && typeof c.yearEnd === "number") return `Made ${c.yearStart}–${c.yearEnd}`;
  return null;
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, "en", { sensitivity: "base" }) || (a < b ? -1 : a > b ? 1 : 0);
}
