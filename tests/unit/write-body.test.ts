/**
 * server/remix-handler.ts writeBody: a streamed answer (/issues.csv) is read from its stream only as fast as the
 * connection takes it, and a client that goes away stops the reading. Real Node streams; "a while" is a number of
 * event-loop turns, not a duration.
 */
import { Writable } from "node:stream";
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
});
