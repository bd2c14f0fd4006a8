/**
 * server/remix-handler.ts writeBody: a streamed answer (/issues.csv) is read from its stream only as fast as the
 * connection takes it, and a client that goes away stops the reading. Real Node streams; "a while" is a number of
 * event-loop turns, not a duration.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import compression from "compression";
import { describe, expect, it } from "vitest";
import { writeBody } from "../../server/remix-handler";

const CHUNK = 1024;

function source(chunks: number) {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(CHUNK));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

/** A connection that takes nothing until `open()`; then everything. */
function stalledConnection() {
  const waiting: (() => void)[] = [];
  let flowing = false;
  let received = 0;
  const sink = new Writable({
    highWaterMark: 4 * CHUNK,
    write(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (flowing) done();
      else waiting.push(() => done());
    },
  });
  return {
    sink,
    received: () => received,
    open() {
      flowing = true;
      for (const go of waiting.splice(0)) go();
    },
  };
}

async function turns(n: number) {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("writeBody", () => {
  it("reads the next chunk only when the connection has taken the last ones", async () => {
    const src = source(1000);
    const conn = stalledConnection();
    const finished = new Promise((resolve) => conn.sink.on("finish", resolve));
    const writing = writeBody(src.stream, conn.sink);
    await turns(50);
    // About the connection's buffer (4 chunks) plus the stream's one read ahead, not the 1,000 chunks.
    expect(src.pulled()).toBeLessThan(10);
    conn.open();
    await writing;
    await finished;
    expect(src.pulled()).toBe(1000);
    expect(conn.received()).toBe(1000 * CHUNK);
  });

  it("stops reading and cancels the stream when the client goes away", async () => {
    const src = source(1000);
    const conn = stalledConnection();
    const writing = writeBody(src.stream, conn.sink);
    await turns(20);
    conn.sink.destroy();
    await writing;
    expect(src.cancelled()).toBe(true);
    expect(src.pulled()).toBeLessThan(10);
  });

  it("adds no listener per wait when compression sits in front of the connection", async () => {
    // compression forwards on("drain") to its brotli stream but not off("drain"), so a listener per wait piled up
    // there; Node says so with a MaxListenersExceededWarning once eleven are attached.
    const compress = compression();
    // Fresh random text per chunk compresses little, so the socket does fill up (compression skips binary types).
    const chunkBytes = 16 * 1024;
    const chunks = 256;
    const server = http.createServer((req, res) => {
      compress(req as never, res as never, () => {
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ === chunks) return controller.close();
            controller.enqueue(new TextEncoder().encode(randomBytes((chunkBytes * 3) / 4).toString("base64")));
          },
        });
        res.setHeader("Content-Type", "text/plain");
        void writeBody(stream, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const received = await new Promise<number>((resolve, reject) => {
        http
          .get({ port, host: "127.0.0.1", headers: { "accept-encoding": "br" } }, (response) => {
            let bytes = 0;
            response.on("data", (data: Buffer) => {
              bytes += data.length;
              response.pause();
              setImmediate(() => response.resume());
            });
            response.on("end", () => resolve(bytes));
            response.on("error", reject);
          })
          .on("error", reject);
      });
      expect(received).toBeGreaterThan(chunks * chunkBytes * 0.5);
      await turns(5);
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
