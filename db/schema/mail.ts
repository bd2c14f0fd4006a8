/**
 * E-mail: the outbox every message goes through, and the password-reset tokens whose links it carries.
 *
 * A use case writes a message to MailOutbox in the same transaction as the change that causes it
 * (db/queries/outbox.server.ts queueMail); the worker of the server process (server/mail/worker.ts) delivers it over
 * SMTP with retries, or it waits there when no SMTP_URL is configured. docs/decisions/028-mail-outbox.md.
 */
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { idColumn, ts } from "./columns";
import { organizations } from "./organizations";

export const mailStatusEnum = pgEnum("MailStatus", ["pending", "sent", "failed"]);

/**
 * "Now" on the database's clock as a UTC wall time, the way our `timestamp without time zone` columns hold instants
 * (drizzle writes and reads them as UTC). The worker's lease and retry times use it, so several server instances
 * agree whatever their own clocks or the session's TimeZone say.
 */
export const dbNowUtc = sql`(now() at time zone 'utc')`;

export const mailOutbox = pgTable(
  "MailOutbox",
  {
    id: idColumn(),
    /** The organization the message belongs to; null for account messages (password reset, security notices). */
    organizationId: text("organizationId").references(() => organizations.id, {
      onDelete: "cascade",
      onUpdate: "cascade",
    }),
    /** What the message is, e.g. "password_reset", "password_changed", "sign_in_attempts", "test". */
    kind: text("kind").notNull(),
    toAddress: text("toAddress").notNull(),
    subject: text("subject").notNull(),
    /** The plain-text part; always present. */
    textBody: text("textBody").notNull(),
    /** The HTML part, or null for a text-only message. */
    htmlBody: text("htmlBody"),
    /** Extra headers the worker may add (List-Unsubscribe, In-Reply-To, …: server/mail/compose.ts filters them). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** "At most one message for this": a second queueMail with the same key queues nothing. */
    dedupeKey: text("dedupeKey"),
    status: mailStatusEnum("status").notNull().default("pending"),
    /** Delivery attempts started (counted when the worker claims the message). */
    attempts: integer("attempts").notNull().default(0),
    /** Not delivered before this time (retry backoff). */
    nextAttemptAt: ts("nextAttemptAt").notNull().default(dbNowUtc),
    /** A worker holds the message until then (its lease); an expired lease lets another worker take it over. */
    lockedUntil: ts("lockedUntil"),
    lastError: text("lastError"),
    sentAt: ts("sentAt"),
    createdAt: ts("createdAt").notNull().default(dbNowUtc),
  },
  (t) => [
    // callers' "at most once" (NULLs do not collide)
    uniqueIndex("MailOutbox_dedupeKey_key").on(t.dedupeKey),
    // the worker's claim: pending messages that are due, oldest first
    index("MailOutbox_pending_idx")
      .on(t.nextAttemptAt, t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    // the admin page: an organization's messages, newest first
    index("MailOutbox_organizationId_createdAt_idx").on(t.organizationId, t.createdAt),
  ],
);

/**
 * Password-reset links: only the SHA-256 of the random token is stored. A token works once (usedAt) and until
 * expiresAt (1 hour); app/use-cases/password-reset.server.ts.
 */
export const passwordResetTokens = pgTable(
  "PasswordResetToken",
  {
    id: idColumn(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
    /** SHA-256 (hex) of the token in the link. */
    tokenHash: text("tokenHash").notNull(),
    createdAt: ts("createdAt").notNull().defaultNow(),
    expiresAt: ts("expiresAt").notNull(),
    usedAt: ts("usedAt"),
  },
  (t) => [
    // opening a link
    uniqueIndex("PasswordResetToken_tokenHash_key").on(t.tokenHash),
    // a reset retires the user's other links
    index("PasswordResetToken_userId_idx").on(t.userId),
  ],
);

export type MailStatus = (typeof mailStatusEnum.enumValues)[number];
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type PasswordResetToken = typeof passwordResetTokens.$inferSelect;
