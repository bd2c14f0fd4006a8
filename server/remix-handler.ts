/**
 * Express → Remix, in place of @remix-run/express's createRequestHandler, for three reasons:
 * - the app reads the request body from server/body-limit.ts's counting stream (a chunked body over the limit is cut
 *   off there), and when that refused the body with a 413 while the app was running, the app's answer is dropped;
 * - the request URL is built from the host server/app.ts accepted (app/lib/allowed-hosts.server.ts), never a raw header;
 * - every answer says `Vary: X-Organization`: the organization may come from that header (app/lib/tenant.server.ts),
 *   so no cache may serve one organization's page for another's;
 * - the body is written with backpressure (writeBody): Remix's writer never waits for the socket, so a long streamed
 *   answer (/issues.csv) to a slow client would pile up in memory.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Writable } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import { bodyRefused, requestBody } from "./body-limit";

export interface RemixHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
  /** The accepted `host[:port]` of this request. */
  hostOf: (req: Request, res: Response) => string;
}

export function remixHandler(options: RemixHandlerOptions) {
  const handle = createRequestHandler(options.build as ServerBuild, options.mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handle(
        toFetchRequest(req, res, options.hostOf(req, res)),
        options.getLoadContext(req, res),
      );
      if (res.headersSent) {
        // The body was refused (413) while the app ran; its answer can only be about the failed read. Read it to the
        // end (cancelling a page mid-render makes React log an error) and drop it.
        await response.body?.pipeTo(new WritableStream()).catch(() => {});
        return;
      }
      res.status(response.status);
      for (const [name, value] of response.headers) res.append(name, value);
      res.vary("X-Organization");
      if (response.body) await writeBody(response.body, res);
      else res.end();
    } catch (error) {
      if (bodyRefused(res)) return;
      next(error);
    }
  };
}

/**
 * Writes the body chunk by chunk, reading the next one only when the connection has taken the last (`drain`); stops
 * reading, and cancels the stream, when the client goes away.
 */
export async function writeBody(
  body: ReadableStream<Uint8Array>,
  res: Writable & { flush?: () => void },
): Promise<void> {
  const reader = body.getReader();
  const writable = drainWaiter(res);
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        res.end();
        return;
      }
      const more = res.write(value);
      // compression (server/app.ts) holds data back until flushed; streamed answers must reach the client as they go.
      res.flush?.();
      if (!more && !res.destroyed) await writable.next();
    }
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  } finally {
    writable.release();
  }
}

/**
 * One `drain` and one `close` listener per response, not one pair per wait: compression (server/app.ts) forwards
 * `on("drain")` to its brotli/gzip stream but not `off("drain")`, so listeners added per wait piled up there (Node's
 * MaxListenersExceededWarning during large streamed answers, and every drain called all of them).
 */
function drainWaiter(res: Writable) {
  let wake: (() => void) | undefined;
  const onReady = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  res.on("drain", onReady);
  res.on("close", onReady);
  return {
    next: () => new Promise<void>((resolve) => (wake = resolve)),
    release: () => {
      res.off("drain", onReady);
      res.off("close", onReady);
    },
  };
}

function toFetchRequest(req: Request, res: Response, host: string): globalThis.Request {
  // Abort the loaders/actions when the client goes away before the answer is complete.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: fetchHeaders(req.headers),
    signal: controller.signal,
  };
  // A cross-site POST that server/app.ts let through (one-click unsubscribe only): Remix would abort the action over
  // its foreign Origin with a 500; the route itself checks the body (app/routes/unsubscribe.$token.tsx).
  if (res.locals.crossSite === true) (init.headers as Headers).delete("origin");
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(requestBody(req));
    init.duplex = "half";
  }
  return new globalThis.Request(`${req.protocol}://${host}${req.originalUrl}`, init);
}

function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
