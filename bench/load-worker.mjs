// Load generator, run in a worker thread so it does not share the server's event loop.
// Fixed concurrency (closed loop: each of N connections sends its next request when the previous one finished),
// a warm-up that is not measured, then a measured window. Only 127.0.0.1, keep-alive, bounded by time and count.
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { port, concurrency, warmupMs, durationMs, requests, expectStatus, maxRequests, timeoutMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
const bodies = requests.map((r) => (r.body == null ? null : Buffer.from(r.body, "utf8")));
const expected = new Set(expectStatus);

const now = () => performance.now();
const t0 = now();
const warmEnd = t0 + warmupMs;
const end = warmEnd + durationMs;

let next = 0;
let sent = 0;
const latencies = [];
const statusCounts = {};
let bytes = 0;
let measuredBytes = 0;
let errors = 0;
let unexpected = 0;
const samples = [];

function send(i) {
  const spec = requests[i];
  const body = bodies[i];
  return new Promise((resolve, reject) => {
    const headers = { ...spec.headers };
    if (body) headers["content-length"] = String(body.length);
    const req = http.request(
      { host: "127.0.0.1", port, method: spec.method, path: spec.path, headers, agent, timeout: timeoutMs },
      (res) => {
        let size = 0;
        const keep = !expected.has(res.statusCode ?? 0) && samples.length < 3;
        const chunks = [];
        res.on("data", (c) => {
          size += c.length;
          if (keep) chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            size,
            text: keep ? Buffer.concat(chunks).toString("utf8").slice(0, 400) : "",
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (body) req.end(body);
    else req.end();
  });
}

async function loop() {
  for (;;) {
    if (now() >= end || sent >= maxRequests) return;
    const i = next % requests.length;
    next += 1;
    sent += 1;
    const started = now();
    try {
      const r = await send(i);
      const done = now();
      bytes += r.size;
      if (!expected.has(r.status)) {
        unexpected += 1;
        if (samples.length < 3) samples.push({ status: r.status, path: requests[i].path, body: r.text });
      }
      if (done >= warmEnd && done <= end) {
        latencies.push(done - started);
        measuredBytes += r.size;
        statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
      }
    } catch (error) {
      errors += 1;
      if (samples.length < 3)
        samples.push({ status: 0, path: requests[i].path, body: String(error?.message ?? error) });
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => loop()));
agent.destroy();
parentPort.postMessage({
  latencies,
  windowMs: durationMs,
  statusCounts,
  bytes,
  measuredBytes,
  errors,
  unexpected,
  samples,
  sent,
  elapsedMs: now() - t0,
});
