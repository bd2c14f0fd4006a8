/**
 * Sign-in limits that an attacker cannot turn against an account's owner.
 *
 * - Refused (429): too many FAILED sign-ins from one address (any accounts), or for one account from one address.
 *   A guesser is stopped at his own address; the owner at another address is not.
 * - Slowed down, never refused: once an account has many failures from anywhere (a guesser with many addresses),
 *   each further attempt for it waits a growing, capped delay (`slowDownMs`), the owner's included.
 * - Successful sign-ins never count: every attempt takes a slot at the address limits up front (so concurrent
 *   guesses cannot slip past the check), and a success gives it back and clears its (account, address) count.
 *
 * The counters live behind app/lib/rate-limit.server.ts (take / refund / clearKey / hit / countOf), so moving that
 * store elsewhere leaves this file alone. RATE_LIMIT_MULTIPLIER scales the slow-down threshold like every limit.
 */
import type { Db } from "../../db/client.server";
import { addressKey } from "./client-address";
import { log, maskEmail } from "./log.server";
import {
  RULES,
  clearKey,
  countOf,
  hit,
  refund,
  scaledLimit,
  take,
  type RateLimitResult,
  type RateLimitRule,
} from "./rate-limit.server";

/** First delay once an account is over its failure threshold, and the most any attempt waits. */
export const SLOW_DOWN_BASE_MS = 250;
export const SLOW_DOWN_MAX_MS = 2_000;

/**
 * The wait before an attempt for an account with `failures` failed sign-ins in the window, when `threshold`
 * failures start the slow-down: none below it, then 250 ms, doubling per further failure, at most 2 s.
 */
export function slowDownMs(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  const steps = Math.min(failures - threshold, 8);
  return Math.min(SLOW_DOWN_MAX_MS, SLOW_DOWN_BASE_MS * 2 ** steps);
}

/** What to do besides the log line when an account crosses its threshold (the sign-in page tells the owner). */
export type AccountFailureHook = (email: string, failures: number) => Promise<void>;

/**
 * Called once per window when an account crosses its failure threshold: a log line for the operator, then `notify`
 * (the sign-in page passes app/use-cases/security-notices.server.ts noticeSignInAttempts: an e-mail to the owner,
 * at most one an hour).
 */
export async function onAccountFailureThreshold(
  email: string,
  failures: number,
  notify?: AccountFailureHook,
): Promise<void> {
  // The domain only: logs never hold whole e-mail addresses (server/log.ts).
  log().warn(
    { failures, account: maskEmail(email) },
    "failed sign-ins within 15 minutes crossed the threshold; this account's sign-ins are slowed down",
  );
  await notify?.(email, failures);
}

export interface SignInAttempt {
  /** The password was right: this attempt counts nowhere, and the (account, address) failures are forgotten. */
  succeeded(): Promise<void>;
  /** The sign-in failed: it stays counted at the address limits and counts towards the account's slow-down. */
  failed(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a sign-in attempt for `email` (normalised, may be empty) from `ip`: refused when the address or the
 * (account, address) pair is over its limit; otherwise waits out the account's slow-down, if any. `notify` runs
 * when a failure makes the account cross its threshold.
 */
export async function beginSignInAttempt(
  db: Db,
  email: string,
  ip: string,
  notify?: AccountFailureHook,
): Promise<{ allowed: false; limit: RateLimitResult } | { allowed: true; attempt: SignInAttempt }> {
  const address = addressKey(ip);
  const addressKeyName = `login:ip:${address}`;
  const pairKey = `login:account-ip:${address}:${email}`;
  const accountKey = `login:account:${email}`;
  const entries: Array<[string, RateLimitRule]> = [[addressKeyName, RULES.loginPerIp]];
  if (email) entries.push([pairKey, RULES.loginPerAccountAndIp]);
  const limit = await take(db, entries);
  if (!limit.allowed) return { allowed: false, limit };
  const threshold = scaledLimit(RULES.loginAccountSlowdown);
  const delay = email ? slowDownMs(await countOf(db, accountKey), threshold) : 0;
  if (delay) await sleep(delay);
  return {
    allowed: true,
    attempt: {
      async succeeded() {
        await refund(db, addressKeyName);
        if (email) await clearKey(db, pairKey);
      },
      async failed() {
        if (!email) return;
        await hit(db, accountKey, RULES.loginAccountSlowdown);
        const failures = await countOf(db, accountKey);
        if (failures >= threshold && failures - 1 < threshold) await onAccountFailureThreshold(email, failures, notify);
      },
    },
  };
}
