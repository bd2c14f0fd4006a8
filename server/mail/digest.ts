/**
 * The daily digest scheduler of the server process: every `intervalMs` (and once at start) it queues the digests of
 * each organization's previous day in its own time zone (app/use-cases/notification-mail.server.ts queueDailyDigests). The outbox's dedupe key
 * `digest:<userId>:<orgId>:<day>` makes each digest once, however many instances run this and however often, so
 * a server that was down at midnight sends yesterday's digests when it starts. The worker delivers them like any
 * other message; without SMTP_URL they wait in the outbox.
 */
import type { Db } from "../../db/client.server";
import { queueDailyDigests } from "../../app/use-cases/notification-mail.server";
import { errorFields, log } from "../log";

export const DIGEST_INTERVAL_MS = 15 * 60 * 1000;

/**
 * An organization's public address outside any request: PUBLIC_URL when set (as app/lib/tenant.server.ts
 * absoluteUrl), else `https://<subdomain>.<BASE_DOMAIN>`, else `http://<subdomain>.localhost:<port>`.
 */
export function organizationLinks(port: number): (subdomain: string) => (pathname: string) => string {
  return (subdomain) => {
    const base = process.env.PUBLIC_URL
      ? process.env.PUBLIC_URL
      : process.env.BASE_DOMAIN
        ? `https://${subdomain}.${process.env.BASE_DOMAIN}`
        : `http://${subdomain}.localhost:${port}`;
    return (pathname) => new URL(pathname, base).toString();
  };
}

export interface DigestScheduler {
  stop(): void;
}

export function startDigestScheduler(opts: {
  db: Db;
  port: number;
  intervalMs?: number;
  log?: (message: string) => void;
}): DigestScheduler {
  const links = organizationLinks(opts.port);
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const n = await queueDailyDigests(opts.db, { now: new Date(), linksFor: links });
      if (n > 0) opts.log?.(`E-mail: queued ${n} daily ${n === 1 ? "digest" : "digests"}`);
    } catch (error) {
      // A database hiccup: the next round tries again (the dedupe key keeps it once).
      log().error(errorFields(error), "Daily digest failed");
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), opts.intervalMs ?? DIGEST_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
