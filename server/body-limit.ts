/**
 * Request body limits, enforced before the app reads a body (the numbers: app/lib/body-limits.ts; README "Limits").
 * - A declared Content-Length over the route's limit: 413 at once; the body is never read.
 * - A chunked body (Transfer-Encoding, no Content-Length): the app reads it through a counting stream; once past the
 *   limit the rest is never handed to the app and the answer is a 413 (the app's own answer, which can only be a
 *   failed read, is dropped by server/remix-handler.ts).
 * - After a 413 the connection closes "lingering": the answer, then end-of-stream, then whatever the client is still
 *   sending is discarded for a moment (LINGER_MS) before the socket closes. Closing at once, with unread input
 *   queued, makes the kernel send a reset that can destroy the answer before the client reads it.
 * - A request answered before its body was read (a redirect to /login, a 404 …) leaves the rest of the body on a
 *   keep-alive connection, where Node cannot parse the next request: it is drained, and still counted.
 */
import type { Socket } from "node:net";
import { Transform, type Readable } from "node:stream";
import type { NextFunction, Request, RequestHandler, Response } from "express";

const LINGER_MS = 2000;

/** The stream the app reads the body from: the counting stream of a chunked body, else the request itself. */
const bodies = new WeakMap<Request, Readable>();

export function requestBody(req: Request): Readable {
  return bodies.get(req) ?? req;
}

/** True once this request's body was refused (the 413, or the close after an earlier answer, is under way). */
export function bodyRefused(res: Response): boolean {
  return res.locals.bodyRefused === true;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body over ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

function describe(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.round(bytes / 1024)} kB`;
}

const noop = () => {};

/** `limitFor(path)`: the largest body, in bytes, a request to this path may carry. */
export function bodyLimit(limitFor: (path: string) => number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const limit = limitFor(req.path);
    const declared = req.headers["content-length"];
    // Node's parser has already refused malformed Content-Length values and a Content-Length next to chunking.
    if (declared !== undefined && Number(declared) > limit) {
      refuse(req, res, limit);
      return;
    }
    let body: Readable = req;
    if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.byteLength;
          if (seen <= limit) return done(null, chunk);
          req.unpipe(counter);
          refuse(req, res, limit);
          done(new BodyTooLargeError(limit));
        },
      });
      req.pipe(counter);
      bodies.set(req, counter);
      body = counter;
    }
    res.once("finish", () => {
      if (req.complete || req.destroyed || bodyRefused(res)) return;
      // Answered before the body was read: discard the rest (still counted, so an endless body ends in a close).
      body.removeAllListeners("data");
      body.on("data", noop);
      body.resume();
    });
    next();
  };
}

/** Answers 413 (unless an answer is already out), discards the rest of the body and closes the connection. */
function refuse(req: Request, res: Response, limit: number): void {
  if (bodyRefused(res)) return;
  res.locals.bodyRefused = true;
  lingerOnClose(req.socket);
  // Nothing will read the body any more: let Node's parser consume and drop it.
  req.removeAllListeners("data");
  req.on("data", noop);
  req.resume();
  if (!res.headersSent) {
    res
      .status(413)
      .set({ Connection: "close", "Cache-Control": "no-store" })
      .type("text/plain")
      .send(`The form is too large: at most ${describe(limit)} can be sent here.`);
  } else if (res.writableFinished) {
    req.socket.destroySoon();
  } else {
    res.once("finish", () => req.socket.destroySoon());
  }
}

/**
 * Replaces, for this one socket, the immediate close Node performs after an answer with `Connection: close`
 * (destroySoon) by a lingering one.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once("close", () => clearTimeout(timer));
  };
}
