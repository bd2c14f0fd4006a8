/**
 * Lists read as JSON columns of a larger statement, so a page reads its parts in one statement instead of one per
 * list: a statement costs about a third of a millisecond of server CPU whatever it reads
 * (docs/decisions/047-one-statement-per-page-part.md).
 */
import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** `json_build_object('key', value, …)` for a record of columns, so the JSON has the keys a select would give. */
export function jsonObject(columns: Record<string, AnyColumn | SQL>): SQL {
  const pairs = Object.entries(columns).map(([key, column]) => sql`${key}::text, ${column}`);
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

/** Every row of `from` (a FROM … WHERE …) as a JSON array in the given order, `[]` when it has none. */
export function jsonList(
  columns: Record<string, AnyColumn | SQL>,
  order: readonly (AnyColumn | SQL)[],
  from: SQL,
): SQL {
  return sql`(select coalesce(json_agg(${jsonObject(columns)} order by ${sql.join([...order], sql`, `)}), '[]'::json) ${from})`;
}

/**
 * The first `limit` rows of `from` in the given order, as a JSON array in that order (`[]` when none): for lists
 * that show only the top of many rows.
 */
export function jsonTop(
  columns: Record<string, AnyColumn | SQL>,
  order: readonly SQL[],
  from: SQL,
  limit: number,
): SQL {
  const keys = Object.keys(columns);
  const selected = sql.join(
    Object.entries(columns).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`),
    sql`, `,
  );
  // The rows are ranked in the inner select (its own order and limit) and aggregated in that rank.
  return sql`(select coalesce(json_agg(json_build_object(${sql.join(
    keys.map((key) => sql`${key}::text, "top".${sql.identifier(key)}`),
    sql`, `,
  )}) order by "top"."rank"), '[]'::json)
    from (select ${selected}, row_number() over (order by ${sql.join([...order], sql`, `)}) as "rank" ${from}
      order by ${sql.join([...order], sql`, `)} limit ${sql.raw(String(limit))}) "top")`;
}

/** The statement's boolean parameter `name`. */
export function flag(name: string): SQL {
  return sql`${sql.placeholder(name)}::boolean`;
}

/**
 * `list` when the boolean parameter `name` is true, else `[]`, and then the list is not read: one prepared statement
 * serves readers who may see the list and readers who may not.
 */
export function listIf(name: string, list: SQL): SQL {
  return sql`case when ${flag(name)} then ${list} else '[]'::json end`;
}

/** A timestamp inside JSON: the column's ISO text without a zone. */
export type JsonTime = string;

/** The instant of a JSON timestamp (the columns hold UTC). */
export function timeOf(t: JsonTime): Date {
  return new Date(`${t}Z`);
}
