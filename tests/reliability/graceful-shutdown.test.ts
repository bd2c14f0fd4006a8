/**
 * Graceful shutdown of the real server process (server/index.ts): on SIGTERM it stops accepting connections, lets the
 * request in flight finish (a form whose body the client is still sending, slowly, over a raw socket), answers
 * `/readyz` with 503 on a connection that is still open, then closes the database and exits 0. A request that does
 * not finish within SHUTDOWN_TIMEOUT_MS is cut and the process still exits 0.
 * "The server has the request" is read from its own log (the request's id on the "request started" line), not
 * guessed with a delay.
 */
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";
import { sleep } from "./support";

const running: ServerProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(
  env: Record<string, string>,
): Promise<{ server: ServerProcess; port: number; base: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-drain-"));
  dirs.push(dir);
  const port = await freePort();
  const server = spawnServer({ port, dir, env: { LOG_LEVEL: "debug", ...env } });
  running.push(server);
  await waitForHealthy(server, port);
  return { server, port, base: `http://127.0.0.1:${port}`, dir };
}

async function waitForOutput(server: ServerProcess, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (pattern.test(server.output())) return;
    if (server.child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`no ${what} in the server's output:\n${server.output().slice(-3000)}`);
}

/** Signs up a new account and signs in through the real forms; answers the session cookie. */
async function signUp(base: string, email: string): Promise<string> {
  const password = "a long passphrase 42";
  const post = (pathname: string, fields: Record<string, string>) =>
    fetch(base + pathname, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base },
      body: new URLSearchParams(fields),
    });
  expect((await post("/signup", { name: "Drain Tester", email, password, confirm: password })).status).toBe(302);
  const login = await post("/login", { email, password, redirectTo: "/" });
  expect(login.status).toBe(302);
  const cookie = login.headers.getSetCookie().find((c) => c.includes("pinpoint_session="));
  expect(cookie, login.headers.getSetCookie().join(" | ")).toBeTruthy();
  return cookie!.split(";")[0];
}

/** A raw HTTP/1.1 connection: we decide when each byte goes out; `text()` is everything received so far. */
async function rawConnection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  socket.on("data", (d) => (received += d.toString()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  return { socket, text: () => received, closed };
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

describe("graceful shutdown on SIGTERM", () => {
  it("finishes the request in flight with 200, refuses new connections, answers /readyz 503, exits 0", async () => {
    const { server, port, base } = await start({ SHUTDOWN_TIMEOUT_MS: "60000" });
    const cookie = await signUp(base, "drain@example.com");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const body = new URLSearchParams({ intent: "profile", name: "Drained Name", bio: "x".repeat(200) }).toString();
    const conn = await rawConnection(port);
    conn.socket.write(
      `POST /account HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${base}\r\nCookie: ${cookie}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: slow-upload-1\r\n\r\n${body.slice(0, 20)}`,
    );
    await waitForOutput(server, /"reqId":"slow-upload-1"[^\n]*"msg":"request started"/, "start of the slow request");

    server.child.kill("SIGTERM");
    await waitForOutput(server, /draining requests in flight/, "draining line");
    expect(await connectionRefused(port), "a new connection after SIGTERM").toBe(true);

    // The rest of the body, slowly; a second request follows the last piece at once (pipelined on the same, still
    // open connection), so the server has it before its first answer is out: both are answered, then it closes.
    for (let i = 20; i < body.length; i += 40) {
      const last = i + 40 >= body.length;
      conn.socket.write(
        body.slice(i, i + 40) + (last ? `GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n` : ""),
      );
      if (!last) await sleep(20);
    }
    const code = await server.exited;
    await conn.closed;

    const [first, second] = conn.text().split(/(?=HTTP\/1\.1 \d{3})/);
    expect(first, server.output().slice(-3000)).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toContain("Profile saved.");
    expect(second ?? "", "the pipelined /readyz while draining").toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toContain('{"status":"unready","reason":"shutting down"}');
    expect(code, server.output().slice(-3000)).toBe(0);
    expect(server.output()).not.toMatch(/Shutdown took too long|closing their connections/);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  }, 180_000);

  it("cuts a request that outlasts SHUTDOWN_TIMEOUT_MS and still exits 0 with the database closed", async () => {
    const { server, port, base, dir } = await start({ SHUTDOWN_TIMEOUT_MS: "500" });
    const conn = await rawConnection(port);
    conn.socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${base}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\nX-Request-Id: stuck-1\r\n\r\nemail=`,
    );
    await waitForOutput(server, /"reqId":"stuck-1"[^\n]*"msg":"request started"/, "start of the stuck request");
    server.child.kill("SIGTERM");
    const code = await server.exited;
    await conn.closed;
    expect(code, server.output().slice(-3000)).toBe(0);
    expect(server.output()).toMatch(/closing their connections/);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(fs.existsSync(path.join(dir, "pglite.lock"))).toBe(false);
  }, 180_000);
});
