/**
 * Pure Pinball Map sync logic (no I/O): validating and normalising one Pinball Map machine, turning it into Model
 * fields, matching a location's Pinball Map lineup against our machines there, the preview plan and its checksum,
 * and "#n" naming of duplicate machines. Unit-tested in tests/unit/pinballmap-sync.test.ts.
 *
 * Matching rule: a Pinball Map machine and one of our machines are the same title when our machine's model has the
 * same OPDB id, else (both without a usable OPDB match) the same IPDB id. Matching is one-to-one, so two copies of a
 * title on Pinball Map need two machines here. All OPDB matches are made before any IPDB match.
 *
 * Server modules only (zod, node:crypto): what pages need in the browser is in ./pinballmap.ts.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

// ---------------------------------------------------------------------------------------------------------------
// Validation and normalisation of Pinball Map data

const nullableText = z.string().nullish();

/** One entry of `machines[]` as Pinball Map sends it (lenient: types checked, content rules applied afterwards). */
export const pbmRawMachineSchema = z.object({
  id: z.number().int(),
  name: nullableText,
  /** Older API answers used machine_name. */
  machine_name: nullableText,
  year: z.union([z.number(), z.string()]).nullish(),
  manufacturer: nullableText,
  ipdb_id: z.union([z.number(), z.string()]).nullish(),
  ipdb_link: nullableText,
  kineticist_url: nullableText,
  opdb_id: nullableText,
  opdb_img: nullableText,
  machine_type: nullableText,
  machine_display: nullableText,
  is_active: z.boolean().nullish(),
});
export type PbmRawMachine = z.infer<typeof pbmRawMachineSchema>;

/** The envelope of `GET /api/v1/locations/{id}/machine_details.json`. */
export const pbmMachineDetailsSchema = z.object({ machines: z.array(z.unknown()) });

/** A Pinball Map machine after validation, in our vocabulary. */
export interface PbmMachine {
  /** Pinball Map's machine id (their catalogue id of the title). */
  pbmId: number;
  name: string;
  manufacturer: string | null;
  year: number | null;
  opdbId: string | null;
  /** Stringified, as in Model.ipdbId. */
  ipdbId: string | null;
  ipdbLink: string | null;
  kineticistUrl: string | null;
  opdbImgUrl: string | null;
  machineType: string | null;
  machineDisplay: string | null;
  isActive: boolean | null;
}

export interface IgnoredPbmMachine {
  pbmId: number | null;
  name: string | null;
  reason: string;
}

/** OPDB id: `G<group>[-M<machine>[-A<alias>]]`. */
export const OPDB_ID = /^G[0-9A-Za-z]{4,10}(?:-M[0-9A-Za-z]{4,10}(?:-A[0-9A-Za-z]{4,10})?)?$/;

export function isValidOpdbId(value: string): boolean {
  return OPDB_ID.test(value);
}

/** Newest sensible year for a machine: current year + 2 (announced titles). */
export function maxMachineYear(now = new Date()): number {
  return now.getUTCFullYear() + 2;
}

function text(value: string | null | undefined, max = 255): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim().replace(/\s+/g, " ");
  return t ? t.slice(0, max) : null;
}

/** http(s) URLs only (anything else, e.g. javascript:, is dropped). */
export function safeUrl(value: string | null | undefined): string | null {
  const t = typeof value === "string" ? value.trim() : "";
  if (!t || t.length > 2048) return null;
  try {
    const u = new URL(t);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

function toYear(value: number | string | null | undefined): number | null | "invalid" {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  return Number.isInteger(n) ? n : "invalid";
}

function toIpdbId(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return /^[1-9][0-9]{0,9}$/.test(s) ? s : null;
}

export type NormalizeResult = { ok: true; machine: PbmMachine } | { ok: false; ignored: IgnoredPbmMachine };

/**
 * Validates one raw entry. Rules: a name is required; at least one of a valid OPDB id or IPDB id (else it cannot be
 * matched or catalogued); the year, when given, is 1900 … current year + 2. Malformed ids and non-http(s) URLs are
 * dropped rather than stored.
 */
export function normalizePbmMachine(raw: unknown, now = new Date()): NormalizeResult {
  const parsed = pbmRawMachineSchema.safeParse(raw);
  const rawObj = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const fallbackName =
    typeof rawObj.name === "string"
      ? text(rawObj.name)
      : typeof rawObj.machine_name === "string"
        ? text(rawObj.machine_name)
        : null;
  const fallbackId = typeof rawObj.id === "number" && Number.isInteger(rawObj.id) ? rawObj.id : null;
  if (!parsed.success) {
    return { ok: false, ignored: { pbmId: fallbackId, name: fallbackName, reason: "Malformed entry" } };
  }
  const m = parsed.data;
  const name = text(m.machine_name) ?? text(m.name);
  if (!name) return { ok: false, ignored: { pbmId: m.id, name: null, reason: "No machine name" } };
  const opdbRaw = text(m.opdb_id, 64);
  const opdbId = opdbRaw && isValidOpdbId(opdbRaw) ? opdbRaw : null;
  const ipdbId = toIpdbId(m.ipdb_id);
  if (!opdbId && !ipdbId) {
    return { ok: false, ignored: { pbmId: m.id, name, reason: "No OPDB or IPDB id to match it by" } };
  }
  const year = toYear(m.year);
  if (year === "invalid" || (year !== null && (year < 1900 || year > maxMachineYear(now)))) {
    return { ok: false, ignored: { pbmId: m.id, name, reason: `Implausible year ${String(m.year)}` } };
  }
  return {
    ok: true,
    machine: {
      pbmId: m.id,
      name,
      manufacturer: text(m.manufacturer),
      year,
      opdbId,
      ipdbId,
      ipdbLink: safeUrl(m.ipdb_link),
      kineticistUrl: safeUrl(m.kineticist_url),
      opdbImgUrl: safeUrl(m.opdb_img),
      machineType: text(m.machine_type, 32),
      machineDisplay: text(m.machine_display, 32),
      isActive: typeof m.is_active === "boolean" ? m.is_active : null,
    },
  };
}

/** Validates a whole `machines[]` array: usable machines plus the ones skipped, with reasons. */
export function normalizePbmMachines(raw: readonly unknown[], now = new Date()) {
  const machines: PbmMachine[] = [];
  const ignored: IgnoredPbmMachine[] = [];
  for (const entry of raw) {
    const r = normalizePbmMachine(entry, now);
    if (r.ok) machines.push(r.machine);
    else ignored.push(r.ignored);
  }
  return { machines, ignored };
}

/** Fields of a global Model created from Pinball Map data (null fields omitted; isActive defaults to true). */
export interface PbmModelFields {
  name: string;
  manufacturer?: string;
  year?: number;
  opdbId?: string;
  ipdbId?: string;
  machineType?: string;
  machineDisplay?: string;
  isActive: boolean;
  ipdbLink?: string;
  opdbImgUrl?: string;
  kineticistUrl?: string;
  isCustom: false;
}

export function pbmMachineToModel(m: PbmMachine): PbmModelFields {
  const out: PbmModelFields = { name: m.name, isActive: m.isActive ?? true, isCustom: false };
  if (m.manufacturer !== null) out.manufacturer = m.manufacturer;
  if (m.year !== null) out.year = m.year;
  if (m.opdbId !== null) out.opdbId = m.opdbId;
  if (m.ipdbId !== null) out.ipdbId = m.ipdbId;
  if (m.machineType !== null) out.machineType = m.machineType;
  if (m.machineDisplay !== null) out.machineDisplay = m.machineDisplay;
  if (m.ipdbLink !== null) out.ipdbLink = m.ipdbLink;
  if (m.opdbImgUrl !== null) out.opdbImgUrl = m.opdbImgUrl;
  if (m.kineticistUrl !== null) out.kineticistUrl = m.kineticistUrl;
  return out;
}

/** How to look up the catalogue model of a Pinball Map machine: OPDB id first, then IPDB id. */
export function modelLookupOrder(
  m: Pick<PbmMachine, "opdbId" | "ipdbId">,
): { by: "opdbId" | "ipdbId"; value: string }[] {
  const out: { by: "opdbId" | "ipdbId"; value: string }[] = [];
  if (m.opdbId) out.push({ by: "opdbId", value: m.opdbId });
  if (m.ipdbId) out.push({ by: "ipdbId", value: m.ipdbId });
  return out;
}

/** A catalogue model a Pinball Map machine may use (global when organizationId is null). */
export interface CatalogueModel {
  id: string;
  name: string;
  opdbId: string | null;
  ipdbId: string | null;
  organizationId: string | null;
}

/** Catalogue models indexed by OPDB and IPDB id. */
export interface Catalogue {
  byOpdb: Map<string, CatalogueModel>;
  byIpdb: Map<string, CatalogueModel>;
}

export function indexCatalogue(rows: readonly CatalogueModel[]): Catalogue {
  const catalogue: Catalogue = { byOpdb: new Map(), byIpdb: new Map() };
  for (const r of rows) addToCatalogue(catalogue, r);
  return catalogue;
}

export function addToCatalogue(catalogue: Catalogue, model: CatalogueModel): void {
  if (model.opdbId) catalogue.byOpdb.set(model.opdbId, model);
  if (model.ipdbId) catalogue.byIpdb.set(model.ipdbId, model);
}

export type ModelResolution =
  { kind: "existing"; model: CatalogueModel } | { kind: "new" } | { kind: "unavailable"; reason: string };

/**
 * Which catalogue model a Pinball Map machine gets: lookup order OPDB → IPDB; a hit that is another organization's
 * custom model cannot be used (nor re-created); no hit is a new global model, or a skip when creating models is off.
 */
export function resolveCatalogueModel(
  catalogue: Catalogue,
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
  return createMissingModels
    ? { kind: "new" }
    : { kind: "unavailable", reason: "Not in the catalogue (creating models is off)" };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching and planning

/** One of our machines at the location, with the identifiers of its model. */
export interface LocalMachine {
  id: string;
  name: string;
  modelId: string;
  modelName: string;
  manufacturer: string | null;
  year: number | null;
  opdbId: string | null;
  ipdbId: string | null;
  /** All issues, open or closed: a machine with any issue is never removed by sync. */
  issueCount: number;
}

export interface SyncPlan {
  inSync: { remote: PbmMachine; local: LocalMachine; matchedBy: "opdb" | "ipdb" }[];
  /** On Pinball Map, not here: applying creates these (and missing models). */
  onlyRemote: PbmMachine[];
  /** Here, not on Pinball Map: removal is optional, explicit, and only for machines without issues. */
  onlyLocal: LocalMachine[];
}

const byText = (a: string, b: string) =>
  a.localeCompare(b, "en", { sensitivity: "base" }) || (a < b ? -1 : a > b ? 1 : 0);

/** Compares Pinball Map's lineup with our machines at the location. Pure and deterministic. */
export function planSync(remote: readonly PbmMachine[], local: readonly LocalMachine[]): SyncPlan {
  const remoteSorted = [...remote].sort((a, b) => byText(a.name, b.name) || a.pbmId - b.pbmId);
  const localSorted = [...local].sort(
    (a, b) => byText(a.modelName, b.modelName) || byText(a.name, b.name) || byText(a.id, b.id),
  );
  const usedLocal = new Set<string>();
  const matched = new Map<number, { local: LocalMachine; matchedBy: "opdb" | "ipdb" }>();

  const pass = (key: "opdbId" | "ipdbId", label: "opdb" | "ipdb") => {
    const pool = new Map<string, LocalMachine[]>();
    for (const l of localSorted) {
      const k = l[key];
      if (!k || usedLocal.has(l.id)) continue;
      const list = pool.get(k) ?? [];
      list.push(l);
      pool.set(k, list);
    }
    remoteSorted.forEach((r, index) => {
      if (matched.has(index)) return;
      const k = r[key];
      if (!k) return;
      const candidate = pool.get(k)?.find((l) => !usedLocal.has(l.id));
      if (!candidate) return;
      usedLocal.add(candidate.id);
      matched.set(index, { local: candidate, matchedBy: label });
    });
  };
  pass("opdbId", "opdb");
  pass("ipdbId", "ipdb");

  const plan: SyncPlan = { inSync: [], onlyRemote: [], onlyLocal: [] };
  remoteSorted.forEach((r, index) => {
    const m = matched.get(index);
    if (m) plan.inSync.push({ remote: r, local: m.local, matchedBy: m.matchedBy });
    else plan.onlyRemote.push(r);
  });
  plan.onlyLocal = localSorted.filter((l) => !usedLocal.has(l.id));
  return plan;
}

export function summarizePlan(plan: SyncPlan) {
  return {
    inSync: plan.inSync.length,
    onlyRemote: plan.onlyRemote.length,
    onlyLocal: plan.onlyLocal.length,
    removable: plan.onlyLocal.filter((l) => l.issueCount === 0).length,
  };
}

/**
 * A fingerprint of exactly what the admin previewed: the remote data that would be created and every pairing and
 * local-only machine. Applying with a checksum that no longer matches (Pinball Map's list or our machines changed in
 * between) is refused, so nothing is applied that was not seen.
 */
export function planChecksum(plan: SyncPlan): string {
  const remoteKey = (r: PbmMachine) =>
    [r.pbmId, r.opdbId ?? "", r.ipdbId ?? "", r.name, r.manufacturer ?? "", r.year ?? ""].join("\u001f");
  const canonical = {
    inSync: plan.inSync.map((p) => `${remoteKey(p.remote)}\u001e${p.local.id}`).sort(),
    onlyRemote: plan.onlyRemote.map(remoteKey).sort(),
    onlyLocal: plan.onlyLocal.map((l) => l.id).sort(),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 32);
}

/** A machine name not yet used at the location: the model name, else "Name #2", "Name #3", … (case-insensitive). */
export function machineNameFor(modelName: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.trim().toLocaleLowerCase("en")));
  if (!used.has(modelName.trim().toLocaleLowerCase("en"))) return modelName;
  for (let n = 2; ; n++) {
    const candidate = `${modelName} #${n}`;
    if (!used.has(candidate.toLocaleLowerCase("en"))) return candidate;
  }
}
