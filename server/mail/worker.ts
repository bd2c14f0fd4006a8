/**
 * The mail worker of the server process: it delivers the outbox (db/queries/outbox.server.ts) over SMTP.
 *
 * - Wakes up every `pollMs`, and at once when a use case's transaction that queued a message commits.
 * - Takes one due message at a time with a lease (`claimNextMail`), sends it, then marks it sent, or schedules a
 *   retry with backoff, or marks it failed (server/mail/policy.ts). When the SMTP server cannot be reached at all,
 *   it stops until the next poll instead of trying every waiting message.
 * - A message whose worker died mid-delivery is taken over once its lease expires. Its Message-ID is derived from
 *   the outbox id (./compose.ts), so the rare second delivery (the SMTP server had accepted it, our UPDATE never
 *   ran) is recognisable as a duplicate: docs/decisions/028-mail-outbox.md.
 * - Once an hour it purges messages sent more than MAIL_OUTBOX_KEEP_DAYS days ago (`purgeSentMail`).
 * - `stop()` (server shutdown, before the database closes) waits a moment for the message in flight; one still in
 *   flight then is given back (`releaseMail`) for the next start.
 */
import type { Db } from "../../db/client.server";
import {
  claimNextMail,
  markMailFailed,
  markMailRetry,
  markMailSent,
  onMailQueued,
  purgeSentMail,
  releaseMail,
  type ClaimedMail,
} from "../../db/queries/outbox.server";
import { log as logger } from "../log";
import { composeMessage } from "./compose";
import { DEFAULT_KEEP_SENT_DAYS, type MailConfig } from "./config";
import { judgeFailure, nextStep, type SmtpFailure } from "./policy";
import { createSmtpTransport, type SmtpTransport } from "./transport";

/** How long a claim holds a message: far longer than one delivery can take (SMTP_TIMEOUTS). */
export const MAIL_LEASE_SECONDS = 5 * 60;
export const MAIL_POLL_MS = 5_000;
/** How often the worker purges old sent messages (db/queries/outbox.server.ts purgeSentMail). */
export const MAIL_PURGE_EVERY_MS = 60 * 60_000;

export type DeliveryOutcome =
  | { status: "sent"; response: string }
  | { status: "retry"; error: string; retryInSeconds: number; serverUnavailable: boolean }
  | { status: "failed"; error: string };

/**
 * Sends one claimed message and records the outcome. `retry: false` (the send-test command) marks any failure as
 * failed at once. Never throws for an SMTP failure; a database failure propagates (the lease then runs out).
 */
export async function deliverClaimed(
  db: Db,
  transport: SmtpTransport,
  config: MailConfig,
  message: ClaimedMail,
  opts: { retry?: boolean } = {},
): Promise<DeliveryOutcome> {
  let response: string;
  try {
    const info = await transport.sendMail(composeMessage(message, config));
    response = info.response;
  } catch (error) {
    const verdict = judgeFailure(asSmtpFailure(error));
    const step = opts.retry === false ? ({ fail: true } as const) : nextStep(verdict, message.attempts);
    if (step.fail) {
      await markMailFailed(db, message, verdict.error);
      return { status: "failed", error: verdict.error };
    }
    await markMailRetry(db, message, { error: verdict.error, retryInSeconds: step.retryInSeconds });
    return {
      status: "retry",
      error: verdict.error,
      retryInSeconds: step.retryInSeconds,
      serverUnavailable: verdict.serverUnavailable,
    };
  }
  await markMailSent(db, message.id);
  return { status: "sent", response };
}

function asSmtpFailure(error: unknown): SmtpFailure {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
    return {
      code: typeof e.code === "string" ? e.code : undefined,
      responseCode: typeof e.responseCode === "number" ? e.responseCode : undefined,
      command: typeof e.command === "string" ? e.command : undefined,
      message: typeof e.message === "string" ? e.message : String(error),
    };
  }
  return { message: String(error) };
}

export interface MailWorkerOptions {
  db: Db;
  config: MailConfig & { smtpUrl: string };
  pollMs?: number;
  leaseSeconds?: number;
  log?: (message: string) => void;
}

export interface MailWorker {
  /** Look for due messages now. */
  kick(): void;
  /** Stops taking messages; waits up to `graceMs` for the one in flight, then gives it back. */
  stop(graceMs?: number): Promise<void>;
}

export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const { db, config } = options;
  const log = options.log ?? ((m: string) => logger().info(m));
  const leaseSeconds = options.leaseSeconds ?? MAIL_LEASE_SECONDS;
  const transport = createSmtpTransport(config.smtpUrl);
  let stopping = false;
  let again = false;
  let running: Promise<void> | null = null;
  let inFlight: ClaimedMail | null = null;
  let serverWasDown = false;
  let lastPurge = 0;

  async function purgeNowAndThen(): Promise<void> {
    if (Date.now() - lastPurge < MAIL_PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    const purged = await purgeSentMail(db, config.keepSentDays ?? DEFAULT_KEEP_SENT_DAYS);
    if (purged.deleted + purged.emptied > 0)
      log(
        `[mail] purged ${purged.deleted + purged.emptied} messages sent over ${config.keepSentDays ?? DEFAULT_KEEP_SENT_DAYS} days ago`,
      );
  }

  async function drain(): Promise<void> {
    await purgeNowAndThen();
    while (!stopping) {
      const message = await claimNextMail(db, { leaseSeconds });
      if (!message) return;
      inFlight = message;
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverClaimed(db, transport, config, message);
      } finally {
        inFlight = null;
      }
      if (outcome.status === "sent") {
        if (serverWasDown) log("[mail] the SMTP server answers again");
        serverWasDown = false;
      } else if (outcome.status === "failed") {
        log(`[mail] message ${message.id} (${message.kind}) failed for good: ${outcome.error}`);
      } else {
        if (outcome.serverUnavailable) {
          if (!serverWasDown) log(`[mail] cannot deliver: ${outcome.error}; retrying later`);
          serverWasDown = true;
          return;
        }
        log(`[mail] message ${message.id} (${message.kind}) deferred ${outcome.retryInSeconds} s: ${outcome.error}`);
      }
    }
  }

  function kick(): void {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error) => log(`[mail] delivery stopped: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const timer = setInterval(kick, options.pollMs ?? MAIL_POLL_MS);
  timer.unref();
  const unsubscribe = onMailQueued(kick);
  kick();

  return {
    kick,
    async stop(graceMs = 2_000) {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      unsubscribe();
      const current = running;
      if (current) {
        let timeout: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          current.then(() => true),
          new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), graceMs))),
        ]);
        clearTimeout(timeout);
        const abandoned = inFlight;
        if (!finished && abandoned) {
          await releaseMail(db, abandoned).catch(() => {});
          log(`[mail] stopped while sending message ${abandoned.id}; it will be sent after the next start`);
        }
      }
      transport.close();
    },
  };
}

/** Without SMTP_URL: a log line when a message is queued, so the operator knows where to find it (no content). */
export function watchUnsentMail(log: (message: string) => void = (m) => logger().info(m)): () => void {
  return onMailQueued(() =>
    log(
      "[mail] a message was queued; SMTP_URL is not set, so it waits in the outbox (organization messages: " +
        "/admin/outbox; all of them: npm run mail:outbox)",
    ),
  );
}
