import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { NonceProvider } from "~/lib/nonce";
import { errorFields, log } from "~/lib/log.server";
import { RequestIdProvider } from "~/lib/request-id";
import { sendsScripts } from "~/lib/page-handle";
import {
  DATABASE_OUTAGE_PAGE,
  isDatabaseUnavailable,
  reportDatabaseUnavailable,
  requestHitDatabaseOutage,
} from "~/lib/errors.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce ?? "";
  // A loader or action failed because the database is unreachable: a 503 (try again), not a bug (500), with the same
  // clear page as the outage guard's — the route error boundary would say "500 Server error / Something went wrong".
  if (responseStatusCode === 500 && requestHitDatabaseOutage(request)) {
    responseHeaders.set("Retry-After", "5");
    responseHeaders.set("Cache-Control", "no-store");
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    return new Response(DATABASE_OUTAGE_PAGE, { status: 503, headers: responseHeaders });
  }
  const app = (
    <NonceProvider value={nonce}>
      <RequestIdProvider value={loadContext.requestId}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </RequestIdProvider>
    </NonceProvider>
  );
  // Pages without client JavaScript (`handle.scripts: false`) have no data to stream and nothing suspends: one
  // synchronous render and one write cost less than React's streaming renderer with its many small writes
  // (docs/decisions/042-server-overhead.md).
  const matches = remixContext.staticHandlerContext.matches;
  if (!sendsScripts(matches.map((m) => remixContext.routeModules[m.route.id] ?? {}))) {
    // Nothing reads the loader data in the browser: it is not encoded for it (patches/README.md, server-runtime).
    remixContext.serverHandoffStream = undefined;
    const html = `<!DOCTYPE html>${renderToString(app)}`;
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Content-Length", String(Buffer.byteLength(html)));
    return new Response(html, {
      headers: responseHeaders,
      status: responseStatusCode,
    });
  }
  const bot = isbot(request.headers.get("user-agent") || "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      [bot ? "onAllReady" : "onShellReady"]() {
        shellRendered = true;
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) log().error(errorFields(error), "error while streaming a page");
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * One log line per unexpected server error, with the request's id (server/log.ts adds it); responses never carry the
 * stack (Remix sanitizes in production), the error page shows the id instead (app/root.tsx).
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  // Unknown URLs and other expected 4xx answers are not server errors.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (isDatabaseUnavailable(error)) {
    reportDatabaseUnavailable(request);
    log().warn({ method: request.method, ...errorFields(error) }, "database unavailable");
    return;
  }
  log().error({ method: request.method, ...errorFields(error) }, "unexpected server error");
};

/** Single-fetch data requests get the same 503 treatment as documents. */
export function handleDataRequest(response: Response, { request }: { request: Request }) {
  if (response.status === 500 && requestHitDatabaseOutage(request)) {
    const headers = new Headers(response.headers);
    headers.set("Retry-After", "5");
    return new Response(response.body, { status: 503, headers });
  }
  return response;
}
