/** What the parts of /insights show: app/use-cases/insights.server.ts `loadInsights`, with dates in words. */
import type { Figures, InsightPeriod, MachineFigures, RepeatOffender } from "../../../core/reliability";

export interface InsightsView {
  query: { period: InsightPeriod; location: string | null };
  locations: { id: string; name: string }[];
  total: Figures & { machines: number; downNow: number };
  machines: (MachineFigures & { downSinceText: string | null })[];
  repeats: (RepeatOffender & { lastText: string })[];
  reopenedMachines: { id: string; name: string; reopened: number }[];
  csvHref: string;
}
