/**
 * The route-facing door to db/client: transactions and the database types. Routes must not import db/client
 * (lint rule; it would also pull Node built-ins into the browser bundle); this `.server` module is stubbed out of
 * the client build by Remix, so routes and app/lib import from here instead.
 */
// eslint-disable-next-line no-restricted-imports -- the one sanctioned re-export of db/client for app code
export { withTransaction, type Db, type DbOrTx } from "../../db/client.server";
