/**
 * The mail outbox (MailOutbox): every e-mail PinPoint sends is first a row here.
 *
 * - Use cases call `queueMail(tx, message)` inside the transaction of the change that causes the message, with the
 *   rendered subject, text and HTML (core/mail/*): the message exists exactly when the change does, and whoever
 *   delivers it needs no application code.
 * - The worker (server/mail/worker.ts) claims one due message at a time with a lease (`claimNextMail`: one atomic
 *   UPDATE over `FOR UPDATE SKIP LOCKED`, so several server instances never take the same row), sends it, then
 *   marks it sent, or schedules a retry, or marks it failed. Times come from the database's clock (`dbNowUtc`).
 * - Without SMTP_URL nothing claims messages: they stay pending, readable on /admin/outbox (organization messages)
 *   and with `npm run mail:outbox` (all, account messages included).
 * docs/decisions/028-mail-outbox.md.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { dbNowUtc, mailOutbox, type MailOutboxRow, type MailStatus } from "../schema";
import { afterCommit } from "../transaction.server";

/** A message for queueMail: already rendered (core/mail/templates.ts). */
export interface OutgoingMail {
  /** What it is, e.g. "password_reset" (shown on the admin page and in `npm run mail:outbox`). */
  kind: string;
  /** The organization it belongs to (its admins see it on /admin/outbox), or null for an account message. */
  organizationId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Extra headers such as List-Unsubscribe (core/mail/headers.ts); server/mail/compose.ts keeps only known ones. */
  headers?: Record<string, string>;
  /** At most one message per key, ever: a second queueMail with the same key queues nothing. */
  dedupeKey?: string | null;
}

// Listeners of "a message was queued and committed", on globalThis: the server process (server/mail) and the Remix
// build each load their own copy of this module.
const listenersKey = Symbol.for("pinpoint.mailQueuedListeners");
function listeners(): Set<() => void> {
  const g = globalThis as Record<symbol, unknown>;
  return (g[listenersKey] ??= new Set<() => void>()) as Set<() => void>;
}

/** Calls `listener` whenever a queued message has been committed (the worker wakes up). Returns the unsubscribe. */
export function onMailQueued(listener: () => void): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/**
 * Queues a message in the caller's transaction (or at once, outside one). Answers its id, or null when `dedupeKey`
 * was already used. The worker is woken when the transaction commits.
 */
export async function queueMail(db: DbOrTx, message: OutgoingMail): Promise<{ id: string } | null> {
  const [row] = await db
    .insert(mailOutbox)
    .values({
      organizationId: message.organizationId,
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html ?? null,
      headers: message.headers ?? {},
      dedupeKey: message.dedupeKey ?? null,
    })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id });
  if (row) afterCommit(db, () => listeners().forEach((listener) => listener()));
  return row ?? null;
}

/** Whether a message of `kind` to `toAddress` was queued since `since` (e.g. "at most one per hour"). */
export async function mailQueuedSince(
  db: DbOrTx,
  input: { kind: string; toAddress: string; since: Date },
): Promise<boolean> {
  const [row] = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.kind, input.kind),
        eq(mailOutbox.toAddress, input.toAddress),
        gte(mailOutbox.createdAt, input.since),
      ),
    )
    .limit(1);
  return Boolean(row);
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery (the worker, and `npm run mail:send-test`)

/** A claimed message: the row, with `lockedUntil` set to this claim's lease (the claim's token in later updates). */
export type ClaimedMail = MailOutboxRow & { lockedUntil: Date };

const leaseEnd = (seconds: number) => sql`${dbNowUtc} + make_interval(secs => ${seconds})`;

/**
 * Claims the oldest due pending message whose lease is free (never leased, or expired: its worker died), counting
 * one attempt and leasing it for `leaseSeconds`. One statement, safe with several workers.
 */
export async function claimNextMail(db: DbOrTx, opts: { leaseSeconds: number }): Promise<ClaimedMail | null> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.status, "pending"),
        lte(mailOutbox.nextAttemptAt, dbNowUtc),
        or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, dbNowUtc)),
      ),
    )
    .orderBy(asc(mailOutbox.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, lockedUntil: leaseEnd(opts.leaseSeconds) })
    .where(and(sql`${mailOutbox.id} = (${due})`, eq(mailOutbox.status, "pending")))
    .returning();
  return (row as ClaimedMail | undefined) ?? null;
}

/** Claims one pending message by id whatever its schedule (`npm run mail:send-test`), unless another worker holds it. */
export async function claimMailById(
  db: DbOrTx,
  id: string,
  opts: { leaseSeconds: number },
): Promise<ClaimedMail | null> {
  const [row] = await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, lockedUntil: leaseEnd(opts.leaseSeconds) })
    .where(
      and(
        eq(mailOutbox.id, id),
        eq(mailOutbox.status, "pending"),
        or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, dbNowUtc)),
      ),
    )
    .returning();
  return (row as ClaimedMail | undefined) ?? null;
}

/**
 * The SMTP server accepted the message. Not tied to the lease: a message that went out is sent even when its lease
 * ran out meanwhile. False when it was no longer pending.
 */
export async function markMailSent(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .update(mailOutbox)
    .set({ status: "sent", sentAt: dbNowUtc, lockedUntil: null, lastError: null })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, "pending")))
    .returning({ id: mailOutbox.id });
  return rows.length === 1;
}

function ownLease(message: Pick<ClaimedMail, "id" | "lockedUntil">) {
  return and(
    eq(mailOutbox.id, message.id),
    eq(mailOutbox.status, "pending"),
    eq(mailOutbox.lockedUntil, message.lockedUntil),
  );
}

/** Delivery failed for now: try again in `retryInSeconds` (only while this claim still holds the lease). */
export async function markMailRetry(
  db: DbOrTx,
  message: Pick<ClaimedMail, "id" | "lockedUntil">,
  input: { error: string; retryInSeconds: number },
): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ lockedUntil: null, lastError: input.error, nextAttemptAt: leaseEnd(input.retryInSeconds) })
    .where(ownLease(message));
}

/** Delivery failed for good (a permanent refusal, or too many attempts): the message stays, marked failed. */
export async function markMailFailed(
  db: DbOrTx,
  message: Pick<ClaimedMail, "id" | "lockedUntil">,
  error: string,
): Promise<void> {
  await db.update(mailOutbox).set({ status: "failed", lockedUntil: null, lastError: error }).where(ownLease(message));
}

/**
 * Gives a claimed message back untried (the worker is stopping while it was being sent): due at once for the next
 * worker, and the interrupted attempt is not counted.
 */
export async function releaseMail(db: DbOrTx, message: Pick<ClaimedMail, "id" | "lockedUntil">): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ lockedUntil: null, attempts: sql`greatest(${mailOutbox.attempts} - 1, 0)` })
    .where(ownLease(message));
}

/** Failed messages become pending again, due now, with their attempts reset (`npm run mail:outbox -- --retry-failed`). */
export async function requeueFailedMail(db: DbOrTx): Promise<number> {
  const rows = await db
    .update(mailOutbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: dbNowUtc, lockedUntil: null })
    .where(eq(mailOutbox.status, "failed"))
    .returning({ id: mailOutbox.id });
  return rows.length;
}

/** What a purged message that keeps its row says instead of its subject. */
export const PURGED_SUBJECT = "(removed: sent long ago)";

/**
 * Purges messages sent more than `keepDays` days ago (the worker, MAIL_OUTBOX_KEEP_DAYS). A message without a
 * dedupeKey is deleted. One with a key keeps an emptied row (no address, subject, text or headers): the key is the
 * "at most once, ever" of its sender (the one "fixed" message per subscriber, a digest per day), which must outlive
 * the text. Answers how many rows were deleted and emptied.
 */
export async function purgeSentMail(db: DbOrTx, keepDays: number): Promise<{ deleted: number; emptied: number }> {
  const old = and(
    eq(mailOutbox.status, "sent"),
    lt(mailOutbox.sentAt, sql`${dbNowUtc} - make_interval(days => ${keepDays})`),
  );
  const deleted = await db
    .delete(mailOutbox)
    .where(and(old, isNull(mailOutbox.dedupeKey)))
    .returning({ id: mailOutbox.id });
  const emptied = await db
    .update(mailOutbox)
    .set({ toAddress: "", subject: PURGED_SUBJECT, textBody: "", htmlBody: null, headers: {} })
    .where(and(old, isNotNull(mailOutbox.dedupeKey), ne(mailOutbox.subject, PURGED_SUBJECT)))
    .returning({ id: mailOutbox.id });
  return { deleted: deleted.length, emptied: emptied.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the outbox

export interface OutboxListRow {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  textBody: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  createdAt: Date;
}

const listColumns = {
  id: mailOutbox.id,
  kind: mailOutbox.kind,
  toAddress: mailOutbox.toAddress,
  subject: mailOutbox.subject,
  textBody: mailOutbox.textBody,
  status: mailOutbox.status,
  attempts: mailOutbox.attempts,
  lastError: mailOutbox.lastError,
  nextAttemptAt: mailOutbox.nextAttemptAt,
  sentAt: mailOutbox.sentAt,
  createdAt: mailOutbox.createdAt,
};

/** The organization's messages, newest first (account messages, which have no organization, never appear). */
export async function listOrganizationMail(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; offset: number },
): Promise<OutboxListRow[]> {
  return db
    .select(listColumns)
    .from(mailOutbox)
    .where(eq(mailOutbox.organizationId, organizationId))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(page.limit)
    .offset(page.offset);
}

/** How many messages the organization has, by status. */
export async function countOrganizationMail(db: DbOrTx, organizationId: string): Promise<Record<MailStatus, number>> {
  const rows = await db
    .select({ status: mailOutbox.status, n: count() })
    .from(mailOutbox)
    .where(eq(mailOutbox.organizationId, organizationId))
    .groupBy(mailOutbox.status);
  const counts: Record<MailStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** Every organization's and account's messages not sent yet (pending, or also failed), newest first: the CLI. */
export async function listUnsentMail(
  db: DbOrTx,
  opts: { includeFailed: boolean; limit: number },
): Promise<Array<OutboxListRow & { organizationId: string | null }>> {
  const statuses: MailStatus[] = opts.includeFailed ? ["pending", "failed"] : ["pending"];
  return db
    .select({ ...listColumns, organizationId: mailOutbox.organizationId })
    .from(mailOutbox)
    .where(inArray(mailOutbox.status, statuses))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(opts.limit);
}
