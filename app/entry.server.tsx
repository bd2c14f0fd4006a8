import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { renderToString } from "react-dom/server";
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
  // Every page is rendered in one synchronous pass and sent as one body (docs/decisions/045-…): no route defers data,
  // so React's streaming renderer only added dozens of small writes, each through a stream, the adapter and a
  // compressor flush. Pages without client JavaScript (`handle.scripts: false`) read no loader data in
  // the browser: it is not encoded for them (patches/README.md, server-runtime).
  const matches = remixContext.staticHandlerContext.matches;
  const scripts = sendsScripts(matches.map((m) => remixContext.routeModules[m.route.id] ?? {}));
  const handoff = scripts ? remixContext.serverHandoffStream : undefined;
  // <RemixServer> would stream the data in through a Suspense boundary; it is read whole first instead.
  remixContext.serverHandoffStream = undefined;
  const page = (data: string | null) => {
    let html = `<!DOCTYPE html>${renderToString(app)}`;
    if (data !== null) html += loaderDataScript(data, nonce);
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Content-Length", String(Buffer.byteLength(html)));
    return new Response(html, { headers: responseHeaders, status: responseStatusCode });
  };
  // The encoding ends within `streamTimeout` (Remix aborts what is still pending then), so this read cannot hang.
  return handoff ? new Response(handoff).text().then(page) : page(null);
}

/**
 * What @remix-run/react's <Scripts> expects after the document: the encoded loader data pushed into the stream its
 * inline script opened (`window.__remixContext.streamController`), then the end of that stream. Placed after
 * `</html>`, the browser appends it to <body>, whose trailing nodes React's hydration leaves alone.
 */
function loaderDataScript(data: string, nonce: string): string {
  const nonceAttribute = nonce ? ` nonce="${nonce}"` : "";
  return `<script${nonceAttribute}>window.__remixContext.streamController.enqueue(${scriptSafeJson(data)});window.__remixContext.streamController.close();</script>`;
}

/** A JSON string literal that cannot end the script element or open a comment in it, nor break a line in old JS. */
function scriptSafeJson(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
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
