/**
 * The one-box recipe of docs/deploy.md, as written there: its nginx configuration (the first `nginx` block of the
 * document, with loopback ports, a self-signed certificate for pinpoint.example and *.pinpoint.example instead of
 * Let's Encrypt's, and the app's port) in front of one real server process (`server/index.ts`, NODE_ENV=production,
 * embedded database) with the unit's settings (TRUST_PROXY=true, BASE_DOMAIN, HOST=127.0.0.1). Over TLS the
 * organization comes from the subdomain, sign-in sets the Secure `__Host-` cookie and the session works; plain HTTP
 * is redirected to HTTPS; a foreign host is refused by the app. certbot itself is not run.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";
import { NGINX_MISSING, nginxBinary, runNginx, type Nginx } from "./nginx";

let dir: string;
let server: ServerProcess | undefined;
let nginx: Nginx | undefined;
let cert: Buffer;
let httpsPort: number;
let httpPort: number;

/** The first ```nginx block of docs/deploy.md with the test's ports and certificate. */
function oneBoxConfig(appPort: number, certFile: string, keyFile: string): string[] {
  const doc = fs.readFileSync("docs/deploy.md", "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("no nginx block in docs/deploy.md");
  const replacements: Array<[string, string]> = [
    ["listen 80;", `listen 127.0.0.1:${httpPort};`],
    ["listen 443 ssl http2;", `listen 127.0.0.1:${httpsPort} ssl http2;`],
    ["/etc/letsencrypt/live/pinpoint.example/fullchain.pem", certFile],
    ["/etc/letsencrypt/live/pinpoint.example/privkey.pem", keyFile],
    ["proxy_pass http://127.0.0.1:3000;", `proxy_pass http://127.0.0.1:${appPort};`],
  ];
  let text = block;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`docs/deploy.md's nginx block no longer contains "${from}"`);
    text = text.replaceAll(from, to);
  }
  return text.split("\n");
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to nginx on loopback, as a browser would send it to `host` (TLS with SNI, or plain HTTP). */
function request(
  opts: {
    tls: boolean;
    host: string;
    /** The TLS server name, when it differs from the Host header. */
    sni?: string;
    path: string;
    method?: string;
    headers?: Record<string, string>;
  },
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const transport: typeof http = opts.tls ? (https as unknown as typeof http) : http;
    const req = transport.request(
      {
        host: "127.0.0.1",
        port: opts.tls ? httpsPort : httpPort,
        path: opts.path,
        method: opts.method ?? "GET",
        headers: { Host: opts.host, ...opts.headers },
        ...(opts.tls ? { ca: cert, servername: opts.sni ?? opts.host } : {}),
        timeout: 30_000,
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (data += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

beforeAll(async () => {
  if (!nginxBinary()) throw new Error(NGINX_MISSING);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-one-box-"));
  fs.chmodSync(dir, 0o755);
  const certFile = path.join(dir, "fullchain.pem");
  const keyFile = path.join(dir, "privkey.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=pinpoint.example",
      "-addext",
      "subjectAltName=DNS:pinpoint.example,DNS:*.pinpoint.example",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "pipe" },
  );
  fs.chmodSync(keyFile, 0o644);
  cert = fs.readFileSync(certFile);
  const appPort = await freePort();
  httpsPort = await freePort();
  httpPort = await freePort();
  server = spawnServer({
    port: appPort,
    dir,
    env: { TRUST_PROXY: "true", BASE_DOMAIN: "pinpoint.example", SEED_DEMO: "true" },
  });
  await waitForHealthy(server, appPort);
  nginx = await runNginx(oneBoxConfig(appPort, certFile, keyFile), httpsPort);
});

afterAll(async () => {
  await nginx?.stop();
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await Promise.race([server.exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("one box: docs/deploy.md's nginx with TLS in front of the app", () => {
  it("serves each organization on its subdomain over TLS, and a session works with the Secure cookie", async () => {
    const home = await request({ tls: true, host: "apc.pinpoint.example", path: "/" });
    expect(home.status, server?.output()).toBe(200);
    expect(home.body).toContain("Austin Pinball Collective");
    const beta = await request({ tls: true, host: "beta.pinpoint.example", path: "/login" });
    expect(beta.status).toBe(200);

    const form = new URLSearchParams({ email: "admin@dev.local", password: "dev-login-123", redirectTo: "/" });
    const login = await request(
      {
        tls: true,
        host: "apc.pinpoint.example",
        path: "/login",
        method: "POST",
        headers: {
          Origin: "https://apc.pinpoint.example",
          "Content-Type": "application/x-www-form-urlencoded",
        },
      },
      form.toString(),
    );
    expect(login.status, login.body.slice(0, 300)).toBe(302);
    const setCookie = ([] as string[]).concat(login.headers["set-cookie"] ?? []);
    const session = setCookie.find((c) => c.startsWith("__Host-pinpoint_session="));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    const issues = await request({
      tls: true,
      host: "apc.pinpoint.example",
      path: "/issues",
      headers: { Cookie: session!.split(";")[0] },
    });
    expect(issues.status).toBe(200);
  });

  it("redirects plain HTTP to HTTPS, and the app refuses a host that is not its own", async () => {
    const plain = await request({ tls: false, host: "apc.pinpoint.example", path: "/status?tv=1" });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe("https://apc.pinpoint.example/status?tv=1");
    const foreign = await request({
      tls: true,
      sni: "apc.pinpoint.example",
      host: "pinpoint.example.evil.test",
      path: "/",
    });
    expect(foreign.status).toBe(400);
  });
});
