/** Sentences the Pinball Map admin page shows after a change (browser-safe: no server imports). */

export interface SyncResultCounts {
  locationName: string;
  added: number;
  modelsCreated: number;
  inSync: number;
  removed: number;
  /** Only-here machines left in place (not chosen, or they have issues). */
  keptLocal: number;
  skipped: { name: string; reason: string }[];
}

export function syncResultMessage(r: SyncResultCounts): string {
  const parts = [
    `${r.added} ${r.added === 1 ? "machine" : "machines"} added`,
    `${r.modelsCreated} new catalogue ${r.modelsCreated === 1 ? "model" : "models"}`,
    `${r.inSync} already in sync`,
    `${r.removed} removed`,
  ];
  if (r.keptLocal > 0) parts.push(`${r.keptLocal} only here kept`);
  if (r.skipped.length > 0) parts.push(`${r.skipped.length} skipped`);
  const skipped =
    r.skipped.length > 0 ? ` Skipped: ${r.skipped.map((s) => `${s.name} (${s.reason})`).join("; ")}.` : "";
  return `Sync of ${r.locationName} done: ${parts.join(", ")}.${skipped}`;
}

export function linkMessage(location: { name: string; pinballMapId: number | null }): string {
  return location.pinballMapId === null
    ? `${location.name} is no longer linked to Pinball Map.`
    : `${location.name} is linked to Pinball Map location ${location.pinballMapId}.`;
}

export function configMessage(apiEnabled: boolean): string {
  return apiEnabled ? "Pinball Map sync is enabled." : "Pinball Map sync is disabled.";
}
