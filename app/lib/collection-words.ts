/** Sentences the collection admin pages show after a change (browser-safe: no server imports). */

export interface RefreshCounts {
  generated: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export function refreshMessage(r: RefreshCounts): string {
  return `Automatic collections regenerated: ${r.generated} created, ${r.updated} updated, ${r.removed} removed, ${r.unchanged} unchanged.`;
}

export function typeSavedMessage(saved: { label: string; isEnabled: boolean; refresh: RefreshCounts | null }): string {
  const state = saved.isEnabled ? "enabled" : "disabled";
  return `“${saved.label}” saved (${state}).${saved.refresh ? ` ${refreshMessage(saved.refresh)}` : ""}`;
}

export function machinesSavedMessage(r: { added: number; removed: number }): string {
  return r.added || r.removed
    ? `Machines saved: ${r.added} added, ${r.removed} removed.`
    : "No changes: the collection already had exactly these machines.";
}

/** "3 machines", "1 machine". */
export function machineCount(n: number): string {
  return `${n} ${n === 1 ? "machine" : "machines"}`;
}
