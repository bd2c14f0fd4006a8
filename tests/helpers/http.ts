/**
 * Real HTTP for integration tests: the production server build behind our Express app, on a free loopback port,
 * with a test database. `TestClient` keeps cookies like a browser (per host) and sends an Origin header on POSTs.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Db, DbHandle } from "../../db/client.server";
import { createHttpApp } from "../../server/app";
import { startMailWorker, type MailWorker } from "../../server/mail/worker";

let buildPromise: Promise<ServerBuild> | undefined;
function loadBuild(): Promise<ServerBuild> {
  buildPromise ??= import(pathToFileURL(path.resolve("build/index.js")).href) as Promise<ServerBuild>;
  return buildPromise;
}

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  client(opts?: { org?: string }): TestClient;
}

export interface TestServerOptions {
  ping?: () => Promise<void>;
  /** "test" (default) accepts any Host; "production" applies the zero-config host rules of a real `npm start`. */
  mode?: "production" | "development" | "test";
  /** Trust X-Forwarded-* (as TRUST_PROXY=true does). */
  trustProxy?: boolean;
  /** The client build's directory (default: public/ of this checkout). */
  publicDir?: string;
  /** Run the mail worker in this server, as server/index.ts does when SMTP_URL is set (tests/helpers/smtp.ts). */
  mail?: { smtpUrl: string; pollMs?: number };
  /** Serve /metrics to this bearer token (METRICS_TOKEN). */
  metricsToken?: string;
  /** The database handle's connection use for /metrics (a real DbHandle's poolStats). */
  poolStats?: DbHandle["poolStats"];
}

/** The sender of test servers' mail: Message-IDs are `<outbox-id@pinpoint.test>`. */
export const TEST_MAIL_FROM = "PinPoint <pinpoint@pinpoint.test>";

export async function startTestServer(db: Db, opts: TestServerOptions = {}): Promise<TestServer> {
  const database: DbHandle = {
    db,
    kind: "pglite",
    location: "test",
    ping: opts.ping ?? (async () => {}),
    close: async () => {},
    poolStats: opts.poolStats,
  };
  const app = createHttpApp({
    build: await loadBuild(),
    database,
    mode: opts.mode ?? "test",
    publicDir: opts.publicDir ?? path.resolve("public"),
    trustProxy: opts.trustProxy,
    metricsToken: opts.metricsToken,
  });
  const worker: MailWorker | null = opts.mail
    ? startMailWorker({
        db,
        config: { smtpUrl: opts.mail.smtpUrl, from: TEST_MAIL_FROM, domain: "pinpoint.test" },
        pollMs: opts.mail.pollMs ?? 200,
        log: () => {},
      })
    : null;
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    client: (o) => new TestClient(url, o?.org),
    close: async () => {
      await worker?.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Location header of a redirect, as a path when it points at the same server. */
  location: string | null;
  setCookies: string[];
}

/**
 * A cookie-keeping client. Organization selection goes through the X-Organization header (the documented local
 * fallback), since 127.0.0.1 has no subdomain.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;
  readonly org?: string;

  constructor(baseUrl: string, org?: string) {
    this.baseUrl = baseUrl;
    this.org = org;
  }

  private headers(extra?: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.org) h["X-Organization"] = this.org;
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return h;
  }

  private async finish(res: Response): Promise<TestResponse> {
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.get("location");
    return {
      status: res.status,
      headers: res.headers,
      text: await res.text(),
      location: location ? location.replace(this.baseUrl, "") : null,
      setCookies,
    };
  }

  async get(pathname: string, headers?: Record<string, string>): Promise<TestResponse> {
    return this.finish(await fetch(this.baseUrl + pathname, { headers: this.headers(headers), redirect: "manual" }));
  }

  /** Loader data of a route through Remix single fetch (`/path.data`), decoded. */
  async post(
    pathname: string,
    form: Record<string, string | string[] | Blob> | FormData,
    headers?: Record<string, string>,
  ): Promise<TestResponse> {
    let body: FormData | URLSearchParams;
    if (form instanceof FormData) body = form;
    else if (Object.values(form).some((v) => v instanceof Blob)) {
      body = new FormData();
      for (const [k, v] of Object.entries(form)) {
        if (Array.isArray(v)) for (const x of v) body.append(k, x);
        else body.append(k, v as string | Blob);
      }
    } else {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) {
        if (Array.isArray(v)) for (const x of v) body.append(k, x);
        else body.append(k, v as string);
      }
    }
    return this.finish(
      await fetch(this.baseUrl + pathname, {
        method: "POST",
        body,
        headers: this.headers({ Origin: this.baseUrl, ...headers }),
        redirect: "manual",
      }),
    );
  }

  /** Signs in through the real login form; throws when it does not redirect. */
  async login(email: string, password = "dev-login-123"): Promise<TestResponse> {
    const res = await this.post("/login", { email, password, redirectTo: "/" });
    if (res.status !== 302) throw new Error(`login as ${email} failed with ${res.status}: ${res.text.slice(0, 300)}`);
    return res;
  }
}
