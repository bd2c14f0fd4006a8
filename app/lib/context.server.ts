/**
 * The data context of a request: the one place where loaders and actions get the database.
 * The HTTP server puts the process database into Remix's load context; tests hand in their own.
 */
import type { AppLoadContext } from "@remix-run/node";
import type { Db } from "../../db/client.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    db: Db;
    /** CSP nonce of this response. */
    nonce: string;
    /** The client's address as the server sees it (X-Forwarded-For only with TRUST_PROXY=true). */
    clientIp?: string;
    /** One fresh object per HTTP request: the key for per-request memoisation shared by all its loaders. */
    requestMemo?: object;
    /**
     * A POST from another site that the server let through: only one-click unsubscribe (server/security.ts
     * ONE_CLICK_UNSUBSCRIBE_PATH), whose route then accepts only the RFC 8058 body.
     */
    crossSite?: boolean;
    /** This request's id (server/request-log.ts): in every log line of the request and on the error page. */
    requestId?: string;
  }
}

export function getDb(context: AppLoadContext): Db {
  if (!context?.db) throw new Error("No database in the load context (is the server's getLoadContext wired?)");
  return context.db;
}

export interface RouteArgs {
  request: Request;
  context: AppLoadContext;
  params?: Record<string, string | undefined>;
}

export function clientIp(context: AppLoadContext): string {
  return context.clientIp ?? "unknown";
}
