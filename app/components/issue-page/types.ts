/** What the issue page's parts show: the shape app/use-cases/issue-pages.server.ts `loadIssuePage` returns. */
import type { StatusCategory } from "../../../core/issue-rules";

export interface When {
  iso: string;
  ago: string;
  full: string;
}

export interface IssuePerms {
  edit: boolean;
  assign: boolean;
  comment: boolean;
  deleteOthers: boolean;
  manage: boolean;
  attach: boolean;
  viewAttachments: boolean;
  deleteAttachments: boolean;
}

export type TimelineEntry =
  | {
      kind: "comment";
      id: string;
      at: When;
      content: string;
      edited: boolean;
      author: { id: string; name: string };
      deleted: { at: When; by: string | null } | null;
    }
  | { kind: "activity"; id: string; at: When; actor: string; text: string; link?: string | null };

export interface IssuePageData {
  me: { id: string } | null;
  perms: IssuePerms;
  commentKey: string | null;
  showDeleted: boolean;
  issue: {
    id: string;
    title: string;
    description: string | null;
    status: { id: string; name: string; category: StatusCategory };
    priority: { id: string; name: string };
    assignee: { id: string; name: string } | null;
  };
  attachments: readonly { id: string; fileName: string }[];
  timeline: readonly TimelineEntry[];
  statuses: readonly { id: string; name: string; category: StatusCategory }[];
  priorities: readonly { id: string; name: string }[];
  members: readonly { id: string; name: string }[];
  merge: {
    into: { id: string; title: string } | null;
    /** Null until the triager opens the merge form (`?merge=1`). */
    candidates: readonly { id: string; title: string; statusName: string; category: StatusCategory }[] | null;
    duplicates: readonly {
      id: string;
      title: string;
      comments: readonly { id: string; content: string; author: string; at: When }[];
      photos: readonly { id: string; fileName: string }[];
    }[];
  };
}
