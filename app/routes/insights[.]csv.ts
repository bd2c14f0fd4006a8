/**
 * /insights.csv — the reliability figures of /insights for the same query parameters (period, location) as a CSV
 * download (app/use-cases/insights.server.ts exportInsightsCsv). Members with issue:view, as the page.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { exportInsightsCsv, readInsightsQuery } from "~/use-cases/insights.server";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "issue:view");
  const query = readInsightsQuery(new URL(args.request.url).searchParams);
  const { fileName, body } = await runLoader(() => exportInsightsCsv(actor, query));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      // Tenant data: never kept by a shared cache, nor by the browser once saved.
      "Cache-Control": "private, no-store",
    },
  });
}
