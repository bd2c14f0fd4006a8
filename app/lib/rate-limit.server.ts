/**
 * Fixed-window rate limits kept in process memory (one server instance). Behind an interface so a shared store can
 * replace it when the app runs on several instances. Keys are namespaced by purpose, e.g. "login:ip:1.2.3.4".
 */
import type { HeadersFunction } from "@remix-run/node";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

interface Bucket {
  count: number;
  resetAt: number;
}

// On globalThis so the server bundle and code loaded from source (tests, scripts) share one set of counters.
const globalKey = Symbol.for("pinpoint.rateLimits");
const buckets: Map<string, Bucket> = ((globalThis as Record<symbol, unknown>)[globalKey] ??= new Map()) as Map<
  string,
  Bucket
>;
let lastSweep = 0;

function sweep(now: number) {
  if (now - lastSweep < 60_000) return;
  lastSweep = now;
  for (const [key, bucket] of buckets) if (bucket.resetAt <= now) buckets.delete(key);
}

/** Multiplies every limit; tests and benchmarks raise it (RATE_LIMIT_MULTIPLIER) instead of disabling limits. */
function multiplier(): number {
  const m = Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1);
  return Number.isFinite(m) && m > 0 ? m : 1;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Counts one hit against `key` and says whether it is still within the rule. */
export function hit(key: string, rule: RateLimitRule, now = Date.now()): RateLimitResult {
  sweep(now);
  let bucket = buckets.get(key);
  if (!bucket || bucket.resetAt <= now) {
    bucket = { count: 0, resetAt: now + rule.windowMs };
    buckets.set(key, bucket);
  }
  bucket.count += 1;
  const allowed = bucket.count <= scaledLimit(rule);
  return { allowed, retryAfterSeconds: Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) };
}

/**
 * Counts one hit against every key, but only when all of them still allow it: a refused request counts nowhere
 * (so refusals at one key do not use up another). Pair with `refund` to count only requests that turned out badly.
 */
export function take(entries: Array<[string, RateLimitRule]>, now = Date.now()): RateLimitResult {
  const result = peekLimits(entries, now);
  if (result.allowed) for (const [key, rule] of entries) hit(key, rule, now);
  return result;
}

/** Whether one more hit at every key would still be allowed, without counting it (to refuse before costly work). */
export function peekLimits(entries: Array<[string, RateLimitRule]>, now = Date.now()): RateLimitResult {
  sweep(now);
  let refused: RateLimitResult | null = null;
  for (const [key, rule] of entries) {
    const bucket = buckets.get(key);
    if (!bucket || bucket.resetAt <= now || bucket.count < scaledLimit(rule)) continue;
    const result = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) };
    if (!refused || result.retryAfterSeconds > refused.retryAfterSeconds) refused = result;
  }
  return refused ?? { allowed: true, retryAfterSeconds: 0 };
}

/** Gives back one hit counted by `take` or `hit` (the request it stood for went well). */
export function refund(key: string, now = Date.now()): void {
  const bucket = buckets.get(key);
  if (bucket && bucket.resetAt > now && bucket.count > 0) bucket.count -= 1;
}

/** Forgets everything counted against `key`. */
export function clearKey(key: string): void {
  buckets.delete(key);
}

/** How many hits `key` has in its current window (0 when none). */
export function countOf(key: string, now = Date.now()): number {
  const bucket = buckets.get(key);
  return bucket && bucket.resetAt > now ? bucket.count : 0;
}

/** The rule's limit after RATE_LIMIT_MULTIPLIER. */
export function scaledLimit(rule: RateLimitRule): number {
  return rule.limit * multiplier();
}

/** Checks several keys (e.g. per IP and per account); all are counted, the first refusal wins. */
export function checkLimits(entries: Array<[string, RateLimitRule]>, now = Date.now()): RateLimitResult {
  let refused: RateLimitResult | null = null;
  for (const [key, rule] of entries) {
    const result = hit(key, rule, now);
    if (!result.allowed && (!refused || result.retryAfterSeconds > refused.retryAfterSeconds)) refused = result;
  }
  return refused ?? { allowed: true, retryAfterSeconds: 0 };
}

/**
 * A route `headers` export that passes Retry-After from the action/loader to the document response. Remix only
 * copies Set-Cookie from `data()` headers onto HTML responses of routes without a `headers` export, so a route
 * that answers 429 needs: `export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";`
 */
export const rateLimitHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers();
  const retry =
    actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  // An action that refused a body without reading it asks for the connection to be closed.
  if (actionHeaders.get("Connection") === "close") headers.set("Connection", "close");
  return headers;
};

export function resetRateLimits() {
  buckets.clear();
}

export const RULES = {
  /** Failed sign-ins from one address, whatever the accounts (successes are refunded: app/lib/login-throttle.server.ts). */
  loginPerIp: { limit: 20, windowMs: 15 * 60_000 },
  /** Failed sign-ins for one account from one address. */
  loginPerAccountAndIp: { limit: 8, windowMs: 15 * 60_000 },
  /** Failed sign-ins for one account from anywhere: beyond this, its sign-ins are slowed down, never refused. */
  loginAccountSlowdown: { limit: 10, windowMs: 15 * 60_000 },
  /** Wrong current passwords on the password-change form, per user (successes are refunded). */
  passwordChangePerUser: { limit: 8, windowMs: 15 * 60_000 },
  signupPerIp: { limit: 5, windowMs: 60 * 60_000 },
  /** "Forgot your password?" requests from one client address, whatever the e-mail addresses. */
  passwordResetPerIp: { limit: 10, windowMs: 60 * 60_000 },
  /** "Forgot your password?" requests for one e-mail address (known or not), from anywhere: limits mail to one inbox. */
  passwordResetPerAccount: { limit: 3, windowMs: 60 * 60_000 },
  /** New-password submits on reset links from one client address. */
  passwordResetSubmitPerIp: { limit: 20, windowMs: 15 * 60_000 },
  reportPerIp: { limit: 5, windowMs: 15 * 60_000 },
  reportPerMachine: { limit: 20, windowMs: 60 * 60_000 },
  upvotePerIp: { limit: 60, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;
