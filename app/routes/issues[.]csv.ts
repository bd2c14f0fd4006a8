/**
 * /issues.csv — the issue list (/issues) as a CSV download: the same query parameters (filters, search, sort), every
 * matching issue rather than one page, streamed (app/use-cases/issue-export.server.ts). Members with issue:view, as
 * the list; anonymous visitors are sent to sign in.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { absoluteUrl } from "~/lib/tenant.server";
import { exportIssuesCsv } from "~/use-cases/issue-export.server";
import { readIssueListQuery } from "~/use-cases/issue-pages.server";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "issue:view");
  const query = readIssueListQuery(new URL(args.request.url).searchParams);
  const issuesUrl = absoluteUrl(args.request, "/issues/");
  const { fileName, body } = await runLoader(async () =>
    exportIssuesCsv(actor, query, { issueLink: (id) => issuesUrl + encodeURIComponent(id) }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      // Tenant data: never kept by a shared cache, nor by the browser once saved.
      "Cache-Control": "private, no-store",
    },
  });
}
