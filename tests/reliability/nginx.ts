/**
 * Debian's nginx as the load balancer of tests/reliability/two-instances.test.ts: round robin over the given loopback
 * ports, on a free loopback port of its own, with its configuration, pid file, logs and temporary directories in a
 * directory of its own (nothing under /etc/nginx or /var is read or written). The proxy settings are the ones
 * docs/deploy.md recommends; the access log names the upstream(s) each request went to, so a test can see retries.
 * `npm test` (scripts/test-all.ts) installs nginx-light with apt-get when missing and passes its path as NGINX_PATH.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/postgres-throwaway";

/** The binary, or null when nginx is not installed. */
export function nginxBinary(): string | null {
  const candidates = [process.env.NGINX_PATH, "/usr/sbin/nginx"].filter(Boolean) as string[];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

export const NGINX_MISSING =
  "nginx is missing, so the two-instance suite cannot run. `npm run test:reliability` (scripts/test-all.ts) installs " +
  "Debian's nginx-light with apt-get when run as root; otherwise run `apt-get install -y nginx-light` or set NGINX_PATH.";

export interface AccessLine {
  status: number;
  method: string;
  path: string;
  /** Every upstream tried, in order ("127.0.0.1:PORT"); more than one when nginx passed the request on. */
  upstreams: string[];
  upstreamStatuses: string[];
}

export interface Nginx {
  url: string;
  port: number;
  /** Parsed access log lines, from byte `from` of the log (see `logSize`). */
  access(from?: number): AccessLine[];
  logSize(): number;
  errorLog(): string;
  stop(): Promise<void>;
}

/** The proxy part of the configuration (also quoted in docs/deploy.md). */
export function proxyDirectives(upstream: string): string[] {
  return [
    `proxy_pass http://${upstream};`,
    // The app checks the host (allowed hosts, CSRF origin) and, with TRUST_PROXY=true, reads the client address.
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    // An instance that is down (refused connection, reset, timeout, 503 while it stops) is skipped, also for POST:
    // the app's forms carry idempotency keys, so a retried submit creates nothing twice.
    "proxy_next_upstream error timeout http_503 non_idempotent;",
    "proxy_next_upstream_tries 3;",
    "proxy_connect_timeout 2s;",
    "proxy_read_timeout 60s;",
  ];
}

export async function startNginx(upstreamPorts: number[]): Promise<Nginx> {
  const port = await freePort();
  const http = [
    "upstream pinpoint {",
    ...upstreamPorts.map((p) => `  server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`),
    "}",
    "server {",
    `  listen 127.0.0.1:${port};`,
    "  client_max_body_size 12m;",
    "  location / {",
    ...proxyDirectives("pinpoint").map((d) => `    ${d}`),
    "  }",
    "}",
  ];
  return runNginx(http, port);
}

/**
 * nginx with `http` as the inside of its http block (upstreams and servers), answering on loopback `port` (the
 * first port it listens on; any other is the caller's business).
 */
export async function runNginx(http: string[], port: number): Promise<Nginx> {
  const bin = nginxBinary();
  if (!bin) throw new Error(NGINX_MISSING);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-nginx-"));
  // Worker processes run as an unprivileged user when we are root: they must reach the temporary directories.
  fs.chmodSync(dir, 0o755);
  const accessLog = path.join(dir, "access.log");
  const errorLog = path.join(dir, "error.log");
  const temp = (name: string) => {
    const p = path.join(dir, name);
    fs.mkdirSync(p, { mode: 0o777 });
    fs.chmodSync(p, 0o777);
    return p;
  };
  const conf = [
    "daemon off;",
    "worker_processes 1;",
    `pid ${path.join(dir, "nginx.pid")};`,
    `error_log ${errorLog} warn;`,
    "events { worker_connections 512; }",
    "http {",
    `  client_body_temp_path ${temp("client_body")};`,
    `  proxy_temp_path ${temp("proxy")};`,
    `  fastcgi_temp_path ${temp("fastcgi")};`,
    `  uwsgi_temp_path ${temp("uwsgi")};`,
    `  scgi_temp_path ${temp("scgi")};`,
    // Tab-separated: status, request line, upstream addresses and their statuses.
    "  log_format lb '$status\\t$request_method\\t$request_uri\\t$upstream_addr\\t$upstream_status';",
    `  access_log ${accessLog} lb;`,
    ...http.map((line) => `  ${line}`),
    "}",
    "",
  ].join("\n");
  const confPath = path.join(dir, "nginx.conf");
  fs.writeFileSync(confPath, conf);
  const child = spawn(bin, ["-p", dir, "-e", errorLog, "-c", confPath], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const readError = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, "utf8") : "") + stderr;

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start:\n${readError()}\n${conf}`);
    if (await listening(port)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}:\n${readError()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    logSize: () => (fs.existsSync(accessLog) ? fs.statSync(accessLog).size : 0),
    access(from = 0) {
      if (!fs.existsSync(accessLog)) return [];
      const text = fs.readFileSync(accessLog).subarray(from).toString("utf8");
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [status, method, uri, addr, upstreamStatus] = line.split("\t");
          return {
            status: Number(status),
            method,
            path: uri,
            upstreams: addr === "-" ? [] : addr.split(/[,:]\s+/).map((a) => a.trim()),
            upstreamStatuses: upstreamStatus === "-" ? [] : upstreamStatus.split(/[,:]\s+/).map((s) => s.trim()),
          };
        });
    },
    errorLog: readError,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGQUIT");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
