/**
 * Pinball Map words and links that pages show. Browser-safe: no zod, no Node built-ins (the parsing and matching
 * rules are in ./pinballmap-sync.ts, which only server modules import).
 */

/** Data from Pinball Map is CC BY-SA 4.0: show this wherever it is displayed. */
export const PINBALLMAP_CREDIT = "Data from Pinball Map (CC BY-SA 4.0)";

/** Public page of a location on Pinball Map (for links next to the data). */
export function pinballMapLocationPage(pinballMapId: number): string {
  return `https://pinballmap.com/map/?by_location_id=${encodeURIComponent(String(pinballMapId))}`;
}
