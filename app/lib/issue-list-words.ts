/**
 * The issue list's URL words and labels, shared by the page and its read (app/use-cases/issue-pages.server.ts).
 * Browser-safe: no server imports.
 */
import { CATEGORY_LABELS, type IssueSort, type StatusCategory } from "../../core/issue-rules";

export type CategoryFilter = "active" | "all" | StatusCategory;

/** A search stops counting matches here and the tabs say so. */
export const SEARCH_COUNT_CAP = 1000;

/** The category tabs: URL word, label, filter. */
export const CATEGORY_TABS: readonly { param: string; label: string; filter: CategoryFilter }[] = [
  { param: "active", label: "Active", filter: "active" },
  { param: "open", label: CATEGORY_LABELS.NEW, filter: "NEW" },
  { param: "in-progress", label: CATEGORY_LABELS.IN_PROGRESS, filter: "IN_PROGRESS" },
  { param: "closed", label: CATEGORY_LABELS.RESOLVED, filter: "RESOLVED" },
  { param: "all", label: "All", filter: "all" },
];

/** URL word → category filter (a Map: `?category=constructor` must not find Object.prototype's). */
export const CATEGORY_PARAM: ReadonlyMap<string, CategoryFilter> = new Map(
  CATEGORY_TABS.map((t) => [t.param, t.filter]),
);

export const SORT_LABELS: Readonly<Record<IssueSort, string>> = {
  created: "Reported",
  updated: "Last activity",
  priority: "Priority",
  upvotes: "Me too votes",
  relevance: "Best match",
};
