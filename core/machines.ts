/** Vocabulary of machines and their models, shared by the pages (model form, machine lists) and the queries. */

/** Kinds of game a custom model can be, with the words the form shows. */
export const MACHINE_TYPES = [
  ["em", "Electro-mechanical (EM)"],
  ["ss", "Solid state (SS)"],
  ["digital", "Digital / virtual"],
  ["other", "Other"],
] as const;

export type MachineType = (typeof MACHINE_TYPES)[number][0];

export const MACHINE_TYPE_VALUES = MACHINE_TYPES.map(([value]) => value) as [MachineType, ...MachineType[]];

/** The years a model may carry: from the first coin-operated pinball era to the next two years' releases. */
export function modelYearRange(now: Date = new Date()): { min: number; max: number } {
  return { min: 1900, max: now.getFullYear() + 2 };
}

/** A file name for a machine's downloads: its name in lower-case ASCII words joined by dashes, or "machine". */
export function machineFileSlug(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .replace(/[\s_]+/g, "-")
      .toLowerCase()
      .slice(0, 60) || "machine"
  );
}

/** A machine as lists show it: its name, its model (maker, year) and where it stands. */
export interface MachineListing {
  id: string;
  name: string;
  modelName: string;
  manufacturer: string | null;
  year: number | null;
  locationName: string;
}

/** The path of a machine's public page (where its QR sticker lands, app/routes/m.$machineId.tsx). */
export function publicMachinePath(machineId: string): string {
  return `/m/${encodeURIComponent(machineId)}`;
}
