/**
 * Fixed-window rate limits. Keys are namespaced by purpose, e.g. "login:ip:1.2.3.4". Two stores behind one API:
 * - on PostgreSQL, the `RateLimitCounter` table (db/queries/rate-limits.server.ts), so a limit counted by one app
 *   instance holds on all instances of the database (docs/decisions/033-shared-limits-and-object-storage.md);
 * - on the embedded PGlite (one process by construction), process memory: no extra statements on its single
 *   connection, which a transaction in progress may hold.
 * The store follows the database the caller passes, so tests on either database exercise the store it would use.
 */
import type { HeadersFunction } from "@remix-run/node";
import { isServerDatabase, type Db } from "../../db/client.server";
import {
  decrementCounter,
  deleteAllCounters,
  deleteCounter,
  hitCounter,
  liveCounters,
  purgeEndedCounters,
  type CounterState,
} from "../../db/queries/rate-limits.server";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

interface CounterStore {
  /** Counts one hit, starting a new window when the last one ended; answers the window after the hit. */
  hit(key: string, windowMs: number, now: number): Promise<CounterState>;
  /** The live windows among `keys`. */
  live(keys: string[], now: number): Promise<Map<string, CounterState>>;
  refund(key: string, now: number): Promise<void>;
  clear(key: string): Promise<void>;
  /** Forgets everything (tests). */
  reset(): Promise<void>;
}

interface SharedState {
  buckets: Map<string, CounterState>;
  lastSweep: number;
  /** The PostgreSQL stores this process used, so resetRateLimits can empty them. */
  shared: Map<Db, CounterStore>;
}

// On globalThis so the server bundle and code loaded from source (tests, scripts) share one set of counters.
const globalKey = Symbol.for("pinpoint.rateLimits.v2");
const state: SharedState = ((globalThis as Record<symbol, unknown>)[globalKey] ??= {
  buckets: new Map(),
  lastSweep: 0,
  shared: new Map(),
}) as SharedState;

function sweep(now: number) {
  if (now - state.lastSweep < 60_000) return;
  state.lastSweep = now;
  for (const [key, bucket] of state.buckets) if (bucket.resetAt <= now) state.buckets.delete(key);
}

const memoryStore: CounterStore = {
  async hit(key, windowMs, now) {
    sweep(now);
    let bucket = state.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { count: 0, resetAt: now + windowMs };
      state.buckets.set(key, bucket);
    }
    bucket.count += 1;
    return { ...bucket };
  },
  async live(keys, now) {
    sweep(now);
    const found = new Map<string, CounterState>();
    for (const key of keys) {
      const bucket = state.buckets.get(key);
      if (bucket && bucket.resetAt > now) found.set(key, { ...bucket });
    }
    return found;
  },
  async refund(key, now) {
    const bucket = state.buckets.get(key);
    if (bucket && bucket.resetAt > now && bucket.count > 0) bucket.count -= 1;
  },
  async clear(key) {
    state.buckets.delete(key);
  },
  async reset() {
    state.buckets.clear();
  },
};

function postgresStore(db: Db): CounterStore {
  let lastPurge = 0;
  return {
    async hit(key, windowMs, now) {
      // Ended windows are dropped now and then by whichever instance gets there; a hit on an ended window
      // restarts it anyway, so a late purge only costs table space.
      if (now - lastPurge >= 60_000) {
        lastPurge = now;
        await purgeEndedCounters(db, now);
      }
      return hitCounter(db, key, windowMs, now);
    },
    live: (keys, now) => liveCounters(db, keys, now),
    refund: (key, now) => decrementCounter(db, key, now),
    clear: (key) => deleteCounter(db, key),
    reset: () => deleteAllCounters(db),
  };
}

/**
 * The counters of `db`'s kind of database. `tx`: the caller's open transaction on it, to count inside it (the count
 * then commits or rolls back with the write, and no second pooled connection is needed while the transaction holds
 * one: with the pool full of requests waiting on that transaction's locks, it would never come).
 */
function storeFor(db: Db, tx?: Db): CounterStore {
  if (!isServerDatabase(db)) return memoryStore;
  if (tx) return postgresStore(tx);
  let store = state.shared.get(db);
  if (!store) {
    store = postgresStore(db);
    state.shared.set(db, store);
  }
  return store;
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

function retryAfter(bucket: CounterState, now: number): number {
  return Math.max(1, Math.ceil((bucket.resetAt - now) / 1000));
}

/** Counts one hit against `key` and says whether it is still within the rule. */
export async function hit(
  db: Db,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
  tx?: Db,
): Promise<RateLimitResult> {
  const bucket = await storeFor(db, tx).hit(key, rule.windowMs, now);
  return { allowed: bucket.count <= scaledLimit(rule), retryAfterSeconds: retryAfter(bucket, now) };
}

/**
 * Counts one hit against every key, but only when all of them still allow it: a refused request counts nowhere
 * (so refusals at one key do not use up another). Pair with `refund` to count only requests that turned out badly.
 * Each key is counted first and given back when any of them is over: between the two a concurrent request may see
 * one hit more than will stay, so a race errs on the side of refusing.
 */
export async function take(
  db: Db,
  entries: Array<[string, RateLimitRule]>,
  now = Date.now(),
): Promise<RateLimitResult> {
  const store = storeFor(db);
  const counted: string[] = [];
  let refused: RateLimitResult | null = null;
  for (const [key, rule] of entries) {
    const bucket = await store.hit(key, rule.windowMs, now);
    counted.push(key);
    if (bucket.count > scaledLimit(rule)) refused = worse(refused, retryAfter(bucket, now));
  }
  if (!refused) return { allowed: true, retryAfterSeconds: 0 };
  for (const key of counted) await store.refund(key, now);
  return refused;
}

function worse(refused: RateLimitResult | null, retryAfterSeconds: number): RateLimitResult {
  return !refused || retryAfterSeconds > refused.retryAfterSeconds ? { allowed: false, retryAfterSeconds } : refused;
}

/** Whether one more hit at every key would still be allowed, without counting it (to refuse before costly work). */
export async function peekLimits(
  db: Db,
  entries: Array<[string, RateLimitRule]>,
  now = Date.now(),
): Promise<RateLimitResult> {
  const live = await storeFor(db).live(
    entries.map(([key]) => key),
    now,
  );
  let refused: RateLimitResult | null = null;
  for (const [key, rule] of entries) {
    const bucket = live.get(key);
    if (bucket && bucket.count >= scaledLimit(rule)) refused = worse(refused, retryAfter(bucket, now));
  }
  return refused ?? { allowed: true, retryAfterSeconds: 0 };
}

/** Gives back one hit counted by `take` or `hit` (the request it stood for went well). */
export function refund(db: Db, key: string, now = Date.now()): Promise<void> {
  return storeFor(db).refund(key, now);
}

/** Forgets everything counted against `key`. */
export function clearKey(db: Db, key: string): Promise<void> {
  return storeFor(db).clear(key);
}

/** How many hits `key` has in its current window (0 when none). */
export async function countOf(db: Db, key: string, now = Date.now()): Promise<number> {
  const live = await storeFor(db).live([key], now);
  return live.get(key)?.count ?? 0;
}

/** The rule's limit after RATE_LIMIT_MULTIPLIER. */
export function scaledLimit(rule: RateLimitRule): number {
  return rule.limit * multiplier();
}

/** Checks several keys (e.g. per IP and per account); all are counted, the first refusal wins. */
export async function checkLimits(
  db: Db,
  entries: Array<[string, RateLimitRule]>,
  now = Date.now(),
  tx?: Db,
): Promise<RateLimitResult> {
  let refused: RateLimitResult | null = null;
  for (const [key, rule] of entries) {
    const result = await hit(db, key, rule, now, tx);
    if (!result.allowed) refused = worse(refused, result.retryAfterSeconds);
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

/**
 * Forgets every counter: in memory and in each PostgreSQL database this process counted in (tests call it between
 * cases; a database closed since is forgotten too).
 */
export async function resetRateLimits(): Promise<void> {
  await memoryStore.reset();
  for (const [db, store] of state.shared) {
    try {
      await store.reset();
    } catch {
      state.shared.delete(db);
    }
  }
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
  /** Address-proving e-mails (a new verification link, an e-mail change) one account may ask for. */
  addressMailPerUser: { limit: 3, windowMs: 60 * 60_000 },
  reportPerIp: { limit: 5, windowMs: 15 * 60_000 },
  reportPerMachine: { limit: 20, windowMs: 60 * 60_000 },
  upvotePerIp: { limit: 60, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;
