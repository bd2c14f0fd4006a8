/**
 * /m/<machineId>/similar?q=<title>&d=<details>: the open issues of the machine that resemble a report being typed, as
 * JSON, for the report form's script (app/components/public-machine/similar-script.ts). The same matches and
 * thresholds as the guard of the report's submit (app/use-cases/reports.server.ts findSimilarProblems): titles and
 * statuses only, none for visitors who may not see the machine's issues. GET only; unknown machine: 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/access.server";
import { notFound, runLoader } from "~/lib/failure.server";
import { idParam } from "~/lib/ids";
import { findSimilarProblems, requireReportableMachine } from "~/use-cases/reports.server";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "issue:create");
  const machineId = idParam(args.params.machineId) ?? notFound("We could not find that machine.");
  const params = new URL(args.request.url).searchParams;
  const title = (params.get("q") ?? "").slice(0, 255);
  const description = (params.get("d") ?? "").slice(0, 2000);
  const issues = await runLoader(async () => {
    await requireReportableMachine(actor, machineId);
    return findSimilarProblems(actor, machineId, { title, description });
  });
  return new Response(JSON.stringify({ issues }), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
