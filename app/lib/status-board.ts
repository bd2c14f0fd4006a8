/**
 * What the venue status board shows (app/use-cases/status-board.server.ts builds it; app/components/status-board/
 * renders it): shared types only, safe for the browser.
 */
import type { MachineStatus } from "../../core/machine-status";

export interface StatusBoardMachine {
  id: string;
  name: string;
  /** Model, maker and year when they add something to the name ("" otherwise). */
  subtitle: string;
  status: MachineStatus;
  statusLabel: string;
  /** The machine's public page, a path on the organization's host. */
  path: string;
  /** Open issues; null when the visitor may not see issues (the public machine page hides them too). */
  openIssueCount: number | null;
  /**
   * When a problem on this machine was last reported, changed status or priority, or was closed or reopened
   * (ISO 8601, UTC); null when that did not happen in the last STATUS_BOARD_WINDOW_DAYS
   * (db/queries/status-board.server.ts) or the visitor may not see issues.
   */
  lastUpdateAt: string | null;
  lastUpdateAgo: string | null;
}

export interface StatusBoardLocation {
  id: string;
  name: string;
  machines: StatusBoardMachine[];
}
