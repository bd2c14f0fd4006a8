/** What the issue list's parts show: the shape app/use-cases/issue-pages.server.ts `loadIssueList` returns. */
import type { IssueSort, StatusCategory } from "../../../core/issue-rules";

export interface IssueListFilterValues {
  q: string;
  category: string;
  status: string;
  priority: string;
  machine: string;
  location: string;
  assignee: string;
  reporter: string;
  sort: IssueSort;
  dir: "asc" | "desc";
}

export interface IssueListOptions {
  statuses: readonly { id: string; name: string; category: StatusCategory }[];
  priorities: readonly { id: string; name: string }[];
  machines: readonly { id: string; name: string; locationName: string }[];
  machinesNeedLocation: boolean;
  locations: readonly { id: string; name: string }[];
  members: readonly { id: string; name: string }[];
}

export interface IssueListRow {
  id: string;
  title: string;
  status: { id: string; name: string; category: StatusCategory };
  priority: { id: string; name: string; order: number };
  machine: { name: string };
  assignee: { id: string; name: string; isMe: boolean } | null;
  reporter: string;
  createdIso: string;
  createdAgo: string;
  comments: number;
  upvotes: number;
}

/** What the actor may change in place on each row (the issue page's rules) and who they are. */
export interface IssueListTriage {
  /** Status and priority (issue:edit). */
  edit: boolean;
  /** Assignee (issue:assign). */
  assign: boolean;
  me: string;
}

/** Filters that narrow the list (besides the category tab), to word the empty state. */
export function hasFilters(c: IssueListFilterValues): boolean {
  return Boolean(c.q || c.status || c.priority || c.machine || c.location || c.assignee || c.reporter);
}
