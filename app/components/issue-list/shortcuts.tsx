/**
 * The issue list's keyboard shortcuts (app/lib/shortcuts.ts): move through the results, open one, search, and jump to
 * the selected issue's status, priority or assignee control (./row-triage.tsx) when the actor may change it.
 */
import { ShortcutHelp } from "~/components/shortcut-help";
import { focusById, moveFocus, type Shortcut } from "~/lib/shortcuts";
import type { IssueListTriage } from "./types";

const ROW = "[data-issue-link]";

/** The row holding the focus (after j / k), else the first; then its control for `field`. */
function focusRowControl(field: string): void {
  const rows = [...document.querySelectorAll<HTMLElement>("[data-issue-row]")];
  const row = rows.find((r) => r.contains(document.activeElement)) ?? rows[0];
  const control = row?.querySelector<HTMLElement>(`[data-triage="${field}"]`);
  if (!control) return;
  control.focus();
  control.scrollIntoView({ block: "nearest" });
}

export function IssueListShortcuts({ triage }: { triage: IssueListTriage }) {
  const shortcuts: Shortcut[] = [
    { key: "j", description: "Next issue in the list", run: () => moveFocus(ROW, 1) },
    { key: "k", description: "Previous issue in the list", run: () => moveFocus(ROW, -1) },
    // Enter on the focused issue is the link's own key; listed so people know.
    { key: "Enter", description: "Open the selected issue" },
  ];
  if (triage.edit) {
    shortcuts.push(
      { key: "s", description: "Change the selected issue's status", run: () => focusRowControl("statusId") },
      { key: "p", description: "Change the selected issue's priority", run: () => focusRowControl("priorityId") },
    );
  }
  if (triage.assign)
    shortcuts.push({
      key: "a",
      description: "Change the selected issue's assignee",
      run: () => focusRowControl("assigneeId"),
    });
  if (triage.edit || triage.assign)
    shortcuts.push({ key: "Escape", description: "Leave the control, back to the issue's title" });
  shortcuts.push({ key: "/", description: "Search issues", run: () => focusById("issue-search") });
  return <ShortcutHelp shortcuts={shortcuts} />;
}
