/**
 * Transactions for routes (kept for routes that import it; new code may import from ~/lib/db.server).
 * Routes must not import db/client: it pulls Node built-ins into the browser bundle.
 */
export { withTransaction } from "./db.server";
