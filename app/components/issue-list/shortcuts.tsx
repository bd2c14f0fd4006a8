/** The issue list's keyboard shortcuts (app/lib/shortcuts.ts): move through the results, open one, search. */
import { ShortcutHelp } from "~/components/shortcut-help";
import { focusById, moveFocus, type Shortcut } from "~/lib/shortcuts";

const ROW = "[data-issue-link]";

const SHORTCUTS: readonly Shortcut[] = [
  { key: "j", description: "Next issue in the list", run: () => moveFocus(ROW, 1) },
  { key: "k", description: "Previous issue in the list", run: () => moveFocus(ROW, -1) },
  // Enter on the focused issue is the link's own key; listed so people know.
  { key: "Enter", description: "Open the selected issue" },
  { key: "/", description: "Search issues", run: () => focusById("issue-search") },
];

export function IssueListShortcuts() {
  return <ShortcutHelp shortcuts={SHORTCUTS} />;
}
