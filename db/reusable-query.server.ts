/**
 * Queries built once per database handle and run again with new values. drizzle rebuilds a query's SQL text from
 * its builder on every call (`is()` checks, joins, selections): that was the largest share of our own server CPU on
 * the read pages every visitor opens (docs/decisions/044-reusable-queries-and-fewer-statements.md). A reusable query is the same builder
 * with `sql.placeholder(name)` where values go, prepared once per handle and executed with the values per call.
 *
 * Whether the database server itself prepares the statement stays the client's choice (db/client.server.ts
 * statementClient: yes on direct connections, never through a transaction pooler).
 * Inside a transaction the handle is the transaction: the query is built for it (as a plain query would be).
 */
import type { DbOrTx } from "./client.server";

export function reusableQuery<Q>(name: string, build: (db: DbOrTx, name: string) => Q): (db: DbOrTx) => Q {
  const built = new WeakMap<DbOrTx, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db, name);
      built.set(db, query);
    }
    return query;
  };
}
