/**
 * Reliability arithmetic for /insights (pure). The database measures, per machine and priority level, how long at
 * least one open issue had that order or more (db/queries/insights.server.ts); here those nested measures become
 * time spent "down" and "degraded" by handing every slice to the status rule itself (core/machine-status.ts), so the
 * figures and the public status can never disagree on what "down" means.
 */
import { deriveMachineStatus, type MachineStatus } from "./machine-status";

export const INSIGHT_PERIODS = [30, 90, 365] as const;
export type InsightPeriod = (typeof INSIGHT_PERIODS)[number];
export const DEFAULT_INSIGHT_PERIOD: InsightPeriod = 30;

export function isInsightPeriod(value: number): value is InsightPeriod {
  return (INSIGHT_PERIODS as readonly number[]).includes(value);
}

export interface LevelTime {
  /** A priority order, or `anyOpenLevel` for "any issue open". */
  level: number;
  /** Seconds during which an open issue of order ≥ level existed. */
  seconds: number;
  /** Start of the current stretch at this level (ISO), null when not at this level now. */
  activeSince: string | null;
}

export interface StatusTime {
  down: number;
  degraded: number;
  /** When the current "down" stretch began (ISO), null when the history does not show the machine down now. */
  downSince: string | null;
}

/**
 * Seconds down and degraded from the nested level measures. Levels sorted ascending; the time the highest open order
 * was exactly L is time(≥ L) − time(≥ next level); time with issues open but none of a known order is
 * time(any) − time(≥ lowest level). Each slice gets the status the rule gives an open issue of that order.
 */
export function statusTimes(levels: readonly LevelTime[], anyOpenLevel: number, topPriorityOrder: number | null) {
  const byLevel = [...levels].sort((a, b) => a.level - b.level);
  const out: StatusTime = { down: 0, degraded: 0, downSince: null };
  for (let i = 0; i < byLevel.length; i++) {
    const here = byLevel[i];
    const above = byLevel[i + 1];
    const slice = Math.max(0, here.seconds - (above ? above.seconds : 0));
    const status = sliceStatus(here.level === anyOpenLevel ? null : here.level, topPriorityOrder);
    if (status === "down") {
      out.down += slice;
      // The lowest "down" level holds every moment the machine was down, so its stretch is the current one.
      if (out.downSince === null && here.activeSince) out.downSince = here.activeSince;
    } else if (status === "degraded") out.degraded += slice;
  }
  return out;
}

function sliceStatus(maxOpenPriorityOrder: number | null, topPriorityOrder: number | null): MachineStatus {
  return deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder, topPriorityOrder });
}

/** Share of counted time not down, in percent (null when no time counted). */
export function uptimePercent(downSeconds: number, countedSeconds: number): number | null {
  if (countedSeconds <= 0) return null;
  return Math.max(0, Math.min(100, (100 * (countedSeconds - Math.min(downSeconds, countedSeconds))) / countedSeconds));
}

/** A length of time in plain words: "3 d 4 h", "5 h 12 min", "40 min", "under a minute". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return "under a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** Hours with one decimal, for tables and CSV. */
export function toHours(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds / 360) / 10;
}

/** The figures of one machine, one location or the whole selection. */
export interface Figures {
  countedSeconds: number;
  downSeconds: number;
  degradedSeconds: number;
  /** Share of counted time not down (degraded machines are playable), null when no time counted. */
  uptimePercent: number | null;
  repairs: number;
  /** Mean time to resolve: mean length of the open stretches a resolution ended in the period. */
  mttrSeconds: number | null;
  issues: number;
  answered: number;
  medianResponseSeconds: number | null;
  reopened: number;
}

export interface MachineFigures extends Figures {
  id: string;
  name: string;
  locationId: string;
  locationName: string;
  status: MachineStatus;
  /** Since when the machine is down (ISO), when it is down now and the history shows when it began. */
  downSince: string | null;
}

export interface LocationFigures extends Figures {
  id: string;
  name: string;
  machines: number;
  downNow: number;
}

export interface RepeatOffender {
  machineId: string;
  machineName: string;
  title: string;
  issues: number;
  lastAt: string;
}
