/**
 * /status.json: the venue status board (app/routes/status.tsx) as JSON for a venue's own website. Always what a
 * visitor without a session may see, whoever asks, so it can be cached publicly and read from any site: GET (and
 * HEAD) answer with `Access-Control-Allow-Origin: *`, a CORS preflight allows GET only (a preflight for another
 * method gets no CORS headers, so the browser stops there), and other methods are refused (no action: 405, without
 * CORS headers; a cross-site POST is refused earlier by the origin check in server/app.ts).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVisitorAccess } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { absoluteUrl } from "~/lib/tenant.server";
import { loadStatusBoard } from "~/use-cases/status-board.server";

/** The page refreshes itself every minute; a cache may keep the answer as long. */
const MAX_AGE_SECONDS = 60;

const CORS = { "Access-Control-Allow-Origin": "*" } as const;

export async function loader(args: LoaderFunctionArgs) {
  if (args.request.method === "OPTIONS") {
    // A preflight for anything but reading gets no CORS headers at all: the browser then refuses the request.
    const wanted = (args.request.headers.get("Access-Control-Request-Method") ?? "").toUpperCase();
    if (wanted !== "GET" && wanted !== "HEAD")
      return new Response(null, { status: 204, headers: { Allow: "GET, HEAD" } });
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS,
        "Access-Control-Allow-Methods": "GET",
        // The organization may be named by this header instead of the host (app/lib/tenant.server.ts).
        "Access-Control-Allow-Headers": "X-Organization",
        "Access-Control-Max-Age": "86400",
      },
    });
  }
  const headers = {
    ...CORS,
    "Cache-Control": `public, max-age=${MAX_AGE_SECONDS}`,
    "Content-Type": "application/json; charset=utf-8",
  };
  const visitor = await getVisitorAccess(args);
  if (!visitor.can("machine:view")) {
    return new Response(JSON.stringify({ error: "This venue does not publish the status of its machines." }), {
      status: 403,
      headers,
    });
  }
  const board = await runLoader(() => loadStatusBoard(visitor));
  const body = {
    organization: { name: board.organizationName },
    generatedAt: board.generatedAt,
    refreshSeconds: MAX_AGE_SECONDS,
    issuesVisible: board.canViewIssues,
    lastUpdateWindowDays: board.lastUpdateWindowDays,
    totals: board.totals,
    truncated: board.truncated,
    locations: board.locations.map((l) => ({
      name: l.name,
      machines: l.machines.map((m) => ({
        id: m.id,
        name: m.name,
        subtitle: m.subtitle,
        status: m.status,
        statusLabel: m.statusLabel,
        openIssueCount: m.openIssueCount,
        lastUpdateAt: m.lastUpdateAt,
        url: absoluteUrl(args.request, m.path),
      })),
    })),
  };
  return new Response(JSON.stringify(body), { status: 200, headers });
}
