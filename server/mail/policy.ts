/**
 * What the worker does after a failed delivery: retry later (30 s, doubling, at most 1 hour apart), or give up
 * (a permanent refusal of this message, or MAIL_MAX_ATTEMPTS refusals of it). While the SMTP server cannot be used
 * at all (down, unreachable, TLS or login failing) messages are never given up: that is not their fault, and they
 * go out once the server is back. Pure; tests/unit/mail-policy.test.ts.
 */

/** Attempts before a message that the server keeps deferring (4xx) is marked failed (about 3 hours of retries). */
export const MAIL_MAX_ATTEMPTS = 10;
export const MAIL_FIRST_RETRY_SECONDS = 30;
export const MAIL_MAX_RETRY_SECONDS = 60 * 60;

/** Seconds to wait after the `attempts`-th attempt failed: 30, 60, 120, … capped at 3600. */
export function retryDelaySeconds(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(MAIL_MAX_RETRY_SECONDS, MAIL_FIRST_RETRY_SECONDS * 2 ** Math.min(n - 1, 20));
}

/** The parts of a nodemailer error that decide what to do. */
export interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  message: string;
}

export interface FailureVerdict {
  /** The SMTP server refused this message for good (5xx to its sender, recipient or content). */
  permanent: boolean;
  /** The server could not be used at all (down, unreachable, TLS or login failed): pause until the next poll. */
  serverUnavailable: boolean;
  /** For MailOutbox.lastError. */
  error: string;
}

const SERVER_LEVEL = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EAUTH", "EPROTOCOL", "ENOAUTH"]);

export function judgeFailure(failure: SmtpFailure): FailureVerdict {
  const { code, responseCode } = failure;
  const aboutThisMessage = code === "EENVELOPE" || code === "EMESSAGE";
  // A 5xx answer to MAIL FROM / RCPT TO / DATA, or an address nodemailer itself cannot use ("API").
  const permanent =
    aboutThisMessage && ((responseCode !== undefined && responseCode >= 500) || failure.command === "API");
  // Login and TLS problems are the configuration's, not the message's: they never fail a message by themselves.
  const serverUnavailable = !aboutThisMessage && (code === undefined || SERVER_LEVEL.has(code));
  return { permanent, serverUnavailable, error: failure.message.slice(0, 1000) };
}

/** After the `attempts`-th failed attempt: give up, or retry in how many seconds. */
export function nextStep(
  verdict: FailureVerdict,
  attempts: number,
): { fail: true } | { fail: false; retryInSeconds: number } {
  if (verdict.permanent || (!verdict.serverUnavailable && attempts >= MAIL_MAX_ATTEMPTS)) return { fail: true };
  return { fail: false, retryInSeconds: retryDelaySeconds(attempts) };
}
