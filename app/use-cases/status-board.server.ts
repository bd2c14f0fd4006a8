/**
 * The venue status board (/status and /status.json): every machine grouped by location with its status, and, for
 * visitors who may see issues, its open-issue count and last update. The status is core/machine-status.ts's rule on
 * the same numbers the public machine page (./reports.server.ts loadPublicMachinePage) derives it from: the count of
 * open issues and their highest priority against the organization's most severe one.
 */
import { deriveMachineStatus, MACHINE_STATUS_LABEL, type MachineStatus } from "../../core/machine-status";
import { publicMachinePath } from "../../core/machines";
import { topPriorityOrder } from "../../db/queries/machines.server";
import { listStatusBoardRows, STATUS_BOARD_WINDOW_DAYS } from "../../db/queries/status-board.server";
import { dateFormatterFor } from "../lib/format";
import type { StatusBoardLocation } from "../lib/status-board";
import { requireCan, type Actor } from "./actor";

export interface StatusBoard {
  organizationName: string;
  generatedAt: string;
  canViewIssues: boolean;
  /** How far back "last update" looks, in days. */
  lastUpdateWindowDays: number;
  /** Whether locations without machines are listed (location:view); otherwise only locations with machines appear. */
  showsEmptyLocations: boolean;
  locations: StatusBoardLocation[];
  totals: Record<MachineStatus, number> & { machines: number };
  /** More machines exist than a board shows (db/queries/status-board.server.ts STATUS_BOARD_MAX_ROWS). */
  truncated: boolean;
}

export async function loadStatusBoard(actor: Actor, now = new Date()): Promise<StatusBoard> {
  requireCan(actor, "machine:view");
  const { db, organizationId } = actor;
  const canViewIssues = actor.can("issue:view");
  const showsEmptyLocations = actor.can("location:view");
  const [{ rows, truncated }, top] = await Promise.all([
    listStatusBoardRows(db, organizationId, { includeEmptyLocations: showsEmptyLocations, now }),
    topPriorityOrder(db, organizationId),
  ]);

  const totals = { playable: 0, degraded: 0, down: 0, machines: 0 };
  const locations: StatusBoardLocation[] = [];
  for (const row of rows) {
    let location = locations.at(-1);
    if (location?.id !== row.locationId) {
      location = { id: row.locationId, name: row.locationName, machines: [] };
      locations.push(location);
    }
    const m = row.machine;
    if (!m) continue;
    const status = deriveMachineStatus({
      openIssueCount: m.openIssueCount,
      maxOpenPriorityOrder: m.maxOpenPriorityOrder,
      topPriorityOrder: top,
    });
    totals[status] += 1;
    totals.machines += 1;
    location.machines.push({
      id: m.id,
      name: m.name,
      subtitle: [m.modelName !== m.name ? m.modelName : null, m.manufacturer, m.year].filter(Boolean).join(" · "),
      status,
      statusLabel: MACHINE_STATUS_LABEL[status],
      path: publicMachinePath(m.id),
      openIssueCount: canViewIssues ? m.openIssueCount : null,
      lastUpdateAt: canViewIssues ? m.lastEventAt : null,
      lastUpdateAgo:
        canViewIssues && m.lastEventAt ? dateFormatterFor(actor.organization).relative(m.lastEventAt, now) : null,
    });
  }

  return {
    organizationName: actor.organization.name,
    generatedAt: now.toISOString(),
    canViewIssues,
    lastUpdateWindowDays: STATUS_BOARD_WINDOW_DAYS,
    showsEmptyLocations,
    locations,
    totals,
    truncated,
  };
}
