/**
 * Which route answered a request, as a bounded label for logs and metrics: the Remix route id
 * (`routes/issues.$issueId`), never the URL itself (ids and tokens would make every request its own series, and
 * tokens do not belong in logs).
 */
import { matchRoutes } from "@remix-run/react";
import type { ServerBuild } from "@remix-run/node";

/** Labels of answers that come from the Express layer itself. */
export const ROUTE_LABEL = {
  static: "static",
  /** Refused before any route ran: host, origin, body size, NUL in the address. */
  refused: "refused",
  /** No Remix route matches (the root's 404 page). */
  noMatch: "no-match",
  manifest: "remix-manifest",
} as const;

interface RouteNode {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children: RouteNode[];
}

const trees = new WeakMap<ServerBuild, RouteNode[]>();

function treeOf(build: ServerBuild): RouteNode[] {
  let tree = trees.get(build);
  if (tree) return tree;
  const nodes = new Map<string, RouteNode>();
  for (const route of Object.values(build.routes)) {
    if (!route) continue;
    nodes.set(route.id, {
      id: route.id,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      children: [],
    });
  }
  tree = [];
  for (const route of Object.values(build.routes)) {
    if (!route) continue;
    const node = nodes.get(route.id)!;
    const parent = route.parentId ? nodes.get(route.parentId) : undefined;
    (parent ? parent.children : tree).push(node);
  }
  trees.set(build, tree);
  return tree;
}

/** The id of the deepest Remix route matching `pathname` (single-fetch `.data` addresses included). */
export function remixRouteLabel(build: ServerBuild, pathname: string): string {
  if (pathname === "/__manifest") return ROUTE_LABEL.manifest;
  let path = pathname;
  // Single fetch asks for `/issues.data` (and `/_root.data` for `/`).
  if (path === "/_root.data") path = "/";
  else if (path.endsWith(".data")) path = path.slice(0, -".data".length);
  let matches;
  try {
    matches = matchRoutes(treeOf(build) as never, path) as { route: RouteNode }[] | null;
  } catch {
    matches = null;
  }
  return matches?.length ? matches[matches.length - 1].route.id : ROUTE_LABEL.noMatch;
}

/** "2xx", "4xx", … */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
