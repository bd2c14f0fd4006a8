/**
 * /issues.csv: every issue the list (/issues) shows for the same query parameters, in the same order, as a CSV file
 * for spreadsheets. The query is interpreted by issueListCriteria (./issue-pages.server.ts) and read with the list's
 * own helper, listIssues, page after page along its keyset cursor, so the file holds exactly the list's rows. The
 * body is a pull stream: the next page is read only when the previous one has been handed to the connection
 * (server/remix-handler.ts waits for the socket to drain), so memory stays the same for 20 or 200,000 issues, and a
 * download the client abandons stops reading. Pages are separate statements, not one long transaction: an export
 * must not hold a connection (PGlite has only one) for as long as a slow client takes to download.
 */
import { csvDateTime, csvRow, CSV_BOM } from "../../core/csv";
import { CATEGORY_LABELS } from "../../core/issue-rules";
import {
  decodeCursor,
  displayName,
  ISSUE_PAGE_MAX,
  listIssues,
  type IssueCursor,
  type IssueListItem,
} from "../../db/queries/issues.server";
import { requireMemberActor, type Actor } from "./actor";
import { issueListCriteria, reporterLabel, type IssueListQuery } from "./issue-pages.server";

export const ISSUE_CSV_COLUMNS = [
  "ID",
  "Title",
  "Machine",
  "Location",
  "Status",
  "Status category",
  "Priority",
  "Assignee",
  "Reported by",
  "Created (UTC)",
  "Updated (UTC)",
  "Resolved (UTC)",
  "Me too votes",
  "Link",
] as const;

export interface IssueCsvExport {
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * The export of the list for `query`. Permission as the list (a member with issue:view), checked before anything is
 * read; `issueLink(id)` is the absolute address of an issue's page.
 */
export function exportIssuesCsv(
  actor: Actor,
  query: IssueListQuery,
  opts: { issueLink: (id: string) => string; now?: Date },
): IssueCsvExport {
  requireMemberActor(actor, "issue:view");
  const { db, organizationId } = actor;
  const { filters, sort, dir } = issueListCriteria(actor, query);
  const encoder = new TextEncoder();
  const line = (i: IssueListItem) =>
    csvRow([
      i.id,
      i.title,
      i.machine.name,
      i.location.name,
      i.status.name,
      CATEGORY_LABELS[i.status.category],
      i.priority.name,
      i.assignee ? displayName(i.assignee.name) : "",
      reporterLabel(i),
      csvDateTime(i.createdAt),
      csvDateTime(i.updatedAt),
      csvDateTime(i.resolvedAt),
      i.upvotes,
      opts.issueLink(i.id),
    ]);
  let cursor: IssueCursor | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_BOM + csvRow(ISSUE_CSV_COLUMNS)));
    },
    async pull(controller) {
      const page = await listIssues(db, { organizationId, filters, sort, dir, cursor, limit: ISSUE_PAGE_MAX });
      if (page.items.length) controller.enqueue(encoder.encode(page.items.map(line).join("")));
      if (!page.nextCursor) {
        controller.close();
        return;
      }
      const next = decodeCursor(page.nextCursor, sort);
      // A token listIssues made and cannot read back would end the file early without a word: fail loudly instead.
      if (!next) throw new Error("The issue list's next-page cursor could not be read back");
      cursor = { kind: "after", ...next };
    },
  });
  const day = (opts.now ?? new Date()).toISOString().slice(0, 10);
  const org = actor.organization.subdomain.replace(/[^a-z0-9-]/gi, "-");
  return { fileName: `issues-${org}-${day}.csv`, body };
}
