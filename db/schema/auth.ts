/**
 * Users and authentication (global tables, not tenant-scoped).
 *
 * User/Account/Session/VerificationToken mirror the original Prisma models (table = model name, columns camelCase).
 * Password is ours: authentication is done in-app (scrypt hashes) instead of by Supabase Auth. See db/PARITY.md.
 */
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, timestamps, ts, updatedAt } from "./columns";

export const notificationFrequencyEnum = pgEnum("NotificationFrequency", ["IMMEDIATE", "DAILY", "WEEKLY", "DISABLED"]);

export const users = pgTable(
  "User",
  {
    id: idColumn(),
    name: text("name"),
    email: text("email"),
    /** null = pending invitation. */
    emailVerified: ts("emailVerified"),
    image: text("image"),
    ...timestamps(),
    bio: text("bio"),
    profilePicture: text("profilePicture"),
    emailNotificationsEnabled: boolean("emailNotificationsEnabled").notNull().default(true),
    pushNotificationsEnabled: boolean("pushNotificationsEnabled").notNull().default(false),
    notificationFrequency: notificationFrequencyEnum("notificationFrequency").notNull().default("IMMEDIATE"),
    /**
     * Notification e-mails per kind of event: { ISSUE_ASSIGNED: "IMMEDIATE" | "DAILY" | "OFF", … }. A kind missing here
     * follows notificationFrequency (core/notification-email.ts).
     */
    emailFrequencyByKind: jsonb("emailFrequencyByKind").$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    // sign-in and invitations: look a user up by e-mail (store e-mails lower-cased; the index is case-sensitive)
    uniqueIndex("User_email_key").on(t.email),
  ],
);

export const accounts = pgTable(
  "Account",
  {
    id: idColumn(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [
    // OAuth sign-in: find the account of a provider identity
    uniqueIndex("Account_provider_providerAccountId_key").on(t.provider, t.providerAccountId),
  ],
);

export const sessions = pgTable(
  "Session",
  {
    id: idColumn(),
    /** SHA-256 (hex) of the random id carried by the session cookie; the raw id is never stored. */
    sessionToken: text("sessionToken").notNull(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
    expires: ts("expires").notNull(),
    createdAt: ts("createdAt").notNull().defaultNow(),
    /** Bumped (throttled) on use; drives idle expiry. */
    lastSeenAt: ts("lastSeenAt").notNull().defaultNow(),
    ipAddress: text("ipAddress"),
    userAgent: text("userAgent"),
  },
  (t) => [
    // every authenticated request: resolve the cookie's session
    uniqueIndex("Session_sessionToken_key").on(t.sessionToken),
    // "sign out everywhere" / revoke all sessions of a user
    index("Session_userId_idx").on(t.userId),
  ],
);

export const verificationTokens = pgTable(
  "VerificationToken",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: ts("expires").notNull(),
  },
  (t) => [
    // redeem a token
    uniqueIndex("VerificationToken_token_key").on(t.token),
    // NextAuth lookup by (identifier, token)
    uniqueIndex("VerificationToken_identifier_token_key").on(t.identifier, t.token),
  ],
);

/** Our own credential store (one password per user). */
export const passwords = pgTable("Password", {
  userId: text("userId")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
  /** `scrypt$N$r$p$salt$hash` (core/password.server.ts). */
  hash: text("hash").notNull(),
  updatedAt: updatedAt(),
});

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type VerificationToken = typeof verificationTokens.$inferSelect;
export type Password = typeof passwords.$inferSelect;
export type NewPassword = typeof passwords.$inferInsert;
export type NotificationFrequency = (typeof notificationFrequencyEnum.enumValues)[number];
