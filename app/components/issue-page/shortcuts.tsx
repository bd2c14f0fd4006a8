/** The issue page's keyboard shortcuts (app/lib/shortcuts.ts): each one jumps to a triage control or the comment box. */
import { useNavigate } from "@remix-run/react";
import { ShortcutHelp } from "~/components/shortcut-help";
import { focusById, type Shortcut } from "~/lib/shortcuts";
import type { IssuePageData } from "./types";

export function IssueShortcuts({ d }: { d: IssuePageData }) {
  const { perms } = d;
  const navigate = useNavigate();
  const shortcuts: Shortcut[] = [];
  if (perms.edit) shortcuts.push({ key: "s", description: "Change the status", run: () => focusById("status-select") });
  if (perms.edit)
    shortcuts.push({ key: "p", description: "Change the priority", run: () => focusById("priority-select") });
  if (perms.assign)
    shortcuts.push({ key: "a", description: "Change the assignee", run: () => focusById("assignee-select") });
  if (perms.comment)
    shortcuts.push({ key: "c", description: "Write a comment", run: () => focusById("comment-content") });
  if (perms.edit || perms.assign)
    shortcuts.push({ key: "Escape", description: "Leave the status, priority or assignee control" });
  shortcuts.push({ key: "u", description: "Back to all issues", run: () => navigate("/issues") });
  return <ShortcutHelp shortcuts={shortcuts} />;
}
