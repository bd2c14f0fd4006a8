/**
 * The words of an issue's timeline: one sentence per history row (the actor is shown separately). Browser-safe (no
 * server imports), so the page and the server word activity the same way.
 */

/** One IssueHistory row as the timeline words it (see core/issue-rules.ts for the history conventions). */
export interface ActivityFacts {
  type: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  actor: { name: string } | null;
}

export function quote(s: string | null, max = 80): string {
  if (!s) return "—";
  return `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
}

/** Who did it: no actor is the guest who reported it (CREATED), otherwise a deleted account or the system. */
export function activityActor(t: ActivityFacts, guestName: string | null): string {
  return t.actor?.name ?? (t.type === "CREATED" ? (guestName ? `${guestName} (guest)` : "A guest") : "Someone");
}

/** What they did, as the rest of the sentence after the actor's name. */
export function describeActivity(t: ActivityFacts): string {
  switch (t.type) {
    case "CREATED":
      return "reported this issue";
    case "STATUS_CHANGED":
      return `changed the status from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
    case "RESOLVED":
      return `closed this as ${quote(t.newValue)}${t.oldValue ? ` (was ${quote(t.oldValue)})` : ""}`;
    case "REOPENED":
      return `reopened this: ${quote(t.oldValue)} → ${quote(t.newValue)}`;
    case "PRIORITY_CHANGED":
      return `changed the priority from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
    case "ASSIGNED":
      // Someone who assigned the issue to themselves "took" it.
      if (t.actor && t.newValue && !t.oldValue && t.newValue === t.actor.name) return "took this issue";
      if (!t.newValue) return `unassigned ${t.oldValue ?? "the issue"}`;
      if (!t.oldValue) return `assigned this to ${t.newValue}`;
      return `reassigned this from ${t.oldValue} to ${t.newValue}`;
    case "COMMENT_DELETED":
      return "deleted a comment";
    case "ATTACHMENT_ADDED":
      return `added the photo ${quote(t.newValue)}`;
    case "MERGED":
      // field: core/issue-merge.ts MERGE_HISTORY_FIELDS; oldValue is the other issue's title at the time.
      switch (t.field) {
        case "merged_from":
          return `merged the duplicate ${quote(t.oldValue)} into this issue`;
        case "merged_into":
          return `merged this issue into ${quote(t.oldValue)} as a duplicate`;
        case "unmerged":
          return `split ${quote(t.oldValue)} off this issue again`;
        case "unmerged_from":
          return `split this issue off ${quote(t.oldValue)} again`;
        default:
          return "merged a duplicate into this issue";
      }
    case "COMMENTED":
      return "commented";
    case "SYSTEM":
      switch (t.field) {
        case "title":
          return `changed the title from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
        case "description":
          return t.newValue ? "edited the description" : "removed the description";
        case "comment":
          return t.newValue === "restored" ? "restored a deleted comment" : "edited a comment";
        case "attachment":
          return `removed the photo ${quote(t.oldValue)}`;
        case "status":
          return `moved this from status ${quote(t.oldValue)} to ${quote(t.newValue)} (the old status was removed)`;
        case "priority":
          return `moved this from priority ${quote(t.oldValue)} to ${quote(t.newValue)} (the old priority was removed)`;
        default:
          return "updated this issue";
      }
    default:
      return "updated this issue";
  }
}

/** The other issue a merge row names (its newValue is that issue's id), for a link beside the sentence. */
export function activityIssueLink(t: Pick<ActivityFacts, "type" | "newValue">): string | null {
  return t.type === "MERGED" && t.newValue ? `/issues/${encodeURIComponent(t.newValue)}` : null;
}
