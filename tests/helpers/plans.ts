/**
 * Query plans of the statements our code really sends: a recording database (the same client with a drizzle logger)
 * collects every statement and its parameters while real use cases and query helpers run; `explain` plans each one
 * with `EXPLAIN (FORMAT JSON)` and the same parameters; `scansOf` walks the plan tree.
 */
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import type { Db, DbHandle } from "../../db/client.server";
import * as schema from "../../db/schema";

export interface Statement {
  text: string;
  params: unknown[];
}

export interface Recorder {
  db: Db;
  /** The statements sent since the last call, in order; clears the list. */
  take(): Statement[];
}

/** A database on the same connection that records every statement sent through it. */
export function recordingDb(db: Db, kind: DbHandle["kind"]): Recorder {
  let statements: Statement[] = [];
  const logger = {
    logQuery: (text: string, params: unknown[]) => {
      // Settings (`set local jit = off`, db/queries/insights.server.ts) have no plan.
      if (!/^\s*set\s/i.test(text)) statements.push({ text, params });
    },
  };
  const client = (db as unknown as { $client: unknown }).$client;
  const recording =
    kind === "pglite"
      ? drizzlePglite(client as PGlite, { schema, logger })
      : drizzlePostgres(client as Sql, { schema, logger });
  return {
    db: recording as unknown as Db,
    take() {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * The plan PostgreSQL chooses for the statement with its parameters; with `analyze`, also run, with actual row
 * counts per node (use it for reads only).
 */
export async function explain(
  db: Db,
  kind: DbHandle["kind"],
  statement: Statement,
  opts: { analyze?: boolean } = {},
): Promise<PlanNode> {
  const client = (db as unknown as { $client: unknown }).$client;
  const text = `EXPLAIN (${opts.analyze ? "ANALYZE, " : ""}FORMAT JSON) ${statement.text}`;
  let rows: Record<string, unknown>[];
  if (kind === "pglite") {
    rows = (await (client as PGlite).query<Record<string, unknown>>(text, statement.params)).rows;
  } else {
    rows = await (client as Sql).unsafe<Record<string, unknown>[]>(text, statement.params as never[]);
  }
  let json = Object.values(rows[0])[0];
  if (typeof json === "string") json = JSON.parse(json);
  return (json as { Plan: PlanNode }[])[0].Plan;
}

export interface Scan {
  node: string;
  relation: string;
  index?: string;
}

/** Every node of the plan that reads a table or an index (sub-plans and init-plans included). */
export function scansOf(plan: PlanNode): Scan[] {
  const found: Scan[] = [];
  const walk = (node: PlanNode) => {
    if (node["Relation Name"]) {
      found.push({ node: node["Node Type"], relation: node["Relation Name"], index: node["Index Name"] });
    } else if (node["Index Name"]) {
      // Bitmap Index Scan: the index only (its heap scan is the parent node).
      found.push({ node: node["Node Type"], relation: "", index: node["Index Name"] });
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  return found;
}

/** The plan in one line per node, for failure messages. */
export function describePlan(plan: PlanNode, depth = 0): string {
  const label = [plan["Node Type"], plan["Relation Name"], plan["Index Name"] && `using ${plan["Index Name"]}`]
    .filter(Boolean)
    .join(" ");
  return [`${"  ".repeat(depth)}${label}`, ...(plan.Plans ?? []).map((p) => describePlan(p, depth + 1))].join("\n");
}
