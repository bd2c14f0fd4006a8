/**
 * Merging a duplicate issue into another (app/use-cases/issue-merge.server.ts): which merges are refused, and the
 * name of the closed status a merged duplicate is put in. Pure rules, no I/O.
 */

/** The closed (RESOLVED-category) status a merged duplicate is moved to; created for organizations that lack it. */
export const DUPLICATE_STATUS_NAME = "Duplicate";

/** IssueHistory `field` values of the merge steps (type MERGED); `newValue` holds the other issue's id. */
export const MERGE_HISTORY_FIELDS = {
  /** On the target: a duplicate was merged into it. */
  mergedFrom: "merged_from",
  /** On the duplicate: it was merged into the target. */
  mergedInto: "merged_into",
  /** On the target: the duplicate was split off again. */
  unmerged: "unmerged",
  /** On the duplicate: it was split off the target again. */
  unmergedFrom: "unmerged_from",
} as const;

export interface MergeParty {
  id: string;
  /** The issue this one is merged into, if it is a merged duplicate itself. */
  mergedIntoId: string | null;
  /** How many duplicates are merged into this issue right now. */
  mergedInCount: number;
}

export type MergeProblem = "self" | "source_merged" | "source_has_duplicates" | "target_merged";

/** Why merging `source` into `target` is refused, or null when it may be done. Chains are never built. */
export function mergeProblem(source: MergeParty, target: MergeParty): MergeProblem | null {
  if (source.id === target.id) return "self";
  if (source.mergedIntoId) return "source_merged";
  if (target.mergedIntoId) return "target_merged";
  if (source.mergedInCount > 0) return "source_has_duplicates";
  return null;
}

export const MERGE_MESSAGES: Readonly<Record<MergeProblem, string>> = {
  self: "An issue cannot be merged into itself. Pick another issue.",
  source_merged: "This issue is already merged into another one. Unmerge it first.",
  target_merged: "That issue is itself merged into another one. Merge into that one instead.",
  source_has_duplicates: "Other issues are merged into this one. Merge the other issue into this one instead.",
};
