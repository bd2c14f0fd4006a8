/**
 * DB_VALIDATE references of the organization's option lists the pages show in pickers and filters: statuses,
 * priorities, locations (db/queries/statuses.server.ts, priorities.server.ts, locations.server.ts).
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import type { PriorityOption } from "../queries/priorities.server";
import type { StatusOption } from "../queries/statuses.server";
import { crossCheck } from "../validate.server";
import { num } from "./sql.server";

export async function checkStatuses(db: DbOrTx, organizationId: string, result: StatusOption[]) {
  await crossCheck(
    db,
    "statuses",
    result.map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      isDefault: s.isDefault,
      sortOrder: s.sortOrder,
    })),
    sql`select id, name, category::text as category, "isDefault", "sortOrder" from "IssueStatus"
      where "organizationId" = ${organizationId} order by "sortOrder", name, id`,
    (rows) =>
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        category: r.category,
        isDefault: r.isDefault,
        sortOrder: num(r.sortOrder),
      })),
  );
}

export async function checkPriorities(db: DbOrTx, organizationId: string, result: PriorityOption[]) {
  await crossCheck(
    db,
    "priorities",
    result.map((p) => ({ id: p.id, name: p.name, order: p.order, isDefault: p.isDefault, sortOrder: p.sortOrder })),
    sql`select id, name, "order", "isDefault", "sortOrder" from "Priority"
      where "organizationId" = ${organizationId} order by "sortOrder", "order", name, id`,
    (rows) =>
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        order: num(r.order),
        isDefault: r.isDefault,
        sortOrder: num(r.sortOrder),
      })),
  );
}

export async function checkLocationOptions(db: DbOrTx, organizationId: string, result: { id: string; name: string }[]) {
  await crossCheck(
    db,
    "location options",
    result.map((l) => ({ id: l.id, name: l.name })),
    sql`select id, name from "Location" where "organizationId" = ${organizationId} order by name, id`,
    (rows) => rows.map((r) => ({ id: r.id, name: r.name })),
  );
}
