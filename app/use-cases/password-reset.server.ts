/**
 * Forgotten passwords: /forgot-password sends a single-use link /reset-password/<token>, valid for an hour (only
 * the SHA-256 of its 32-byte token is stored, db/queries/password-reset.server.ts); on that page the person chooses
 * a new password, which signs out every session of the account and retires its other links, and a "password
 * changed" notice is queued. The request answers the same whether or not the address has an account: same
 * redirect, same limits, and the same time (a floor covers the extra writes of a known address).
 * docs/decisions/028-mail-outbox.md.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { passwordResetMail } from "../../core/mail/account";
import { hashPassword } from "../../core/password.server";
import { queueMail } from "../../db/queries/outbox.server";
import {
  findResetToken,
  insertResetToken,
  retireResetTokens,
  useResetToken,
} from "../../db/queries/password-reset.server";
import { deleteUserSessions } from "../../db/queries/sessions.server";
import { findUserWithPasswordByEmail, setPasswordHash } from "../../db/queries/users.server";
import { withTransaction } from "../../db/transaction.server";
import { addressKey } from "../lib/client-address";
import { fields } from "../lib/fields.server";
import { RULES, take, type RateLimitRule } from "../lib/rate-limit.server";
import { hashToken } from "../lib/session.server";
import { PASSWORDS_DIFFER, newPassword } from "./accounts.server";
import type { Actor } from "./actor";
import { MAIL_KINDS, queuePasswordChangedNotice } from "./security-notices.server";

export const forgotPasswordInput = z.object({ email: fields.email });

export const resetPasswordInput = z
  .object({ password: newPassword, confirm: z.string().max(256) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: PASSWORDS_DIFFER });

/** How long a link works. */
export const RESET_TTL_MS = 60 * 60_000;

/**
 * The least time a reset request takes, whether or not the address has an account: the known address's token and
 * outbox writes take a few milliseconds that would otherwise tell the two apart.
 */
export const RESET_REQUEST_MIN_MS = 300;

/** base64url of 32 bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const RESET_MESSAGES = {
  missing: "This password reset link does not work. Check that you copied the whole link, or ask for a new one.",
  gone: "This password reset link was already used or has expired. Ask for a new one.",
  tooMany: "Too many password reset requests. Please wait a while and try again.",
} as const;

async function limited(actor: Actor, entries: Array<[string, RateLimitRule]>): Promise<void> {
  const limit = await take(actor.db, entries);
  if (!limit.allowed)
    throw new Failure("rate_limited", RESET_MESSAGES.tooMany, { retryAfterSeconds: limit.retryAfterSeconds });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a reset link to the address when it belongs to an account with a password. Answers nothing either way (the
 * page says "if an account exists…"). Limited per client address and per e-mail address, for every address alike.
 */
export async function requestPasswordReset(
  actor: Actor,
  input: z.infer<typeof forgotPasswordInput>,
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  await limited(actor, [
    [`password-reset:ip:${addressKey(actor.ipAddress ?? "unknown")}`, RULES.passwordResetPerIp],
    [`password-reset:account:${email}`, RULES.passwordResetPerAccount],
  ]);
  const started = Date.now();
  const token = crypto.randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  const user = await findUserWithPasswordByEmail(actor.db, email);
  // Accounts without a password (left by the old invitation flow, docs/decisions/023-invitation-links.md) stay inert.
  if (user?.hash && user.email) {
    const to = user.email;
    await withTransaction(actor.db, async (tx) => {
      await insertResetToken(tx, { userId: user.id, tokenHash, expiresAt: new Date(started + RESET_TTL_MS) });
      await queueMail(tx, {
        kind: MAIL_KINDS.passwordReset,
        organizationId: null,
        to,
        ...passwordResetMail({
          name: user.name,
          resetUrl: actor.links(`/reset-password/${token}`),
          validMinutes: RESET_TTL_MS / 60_000,
        }),
      });
    });
  }
  const rest = RESET_REQUEST_MIN_MS - (Date.now() - started);
  if (rest > 0) await sleep(rest);
}

/** What the "Forgot your password?" page says: whether this PinPoint sends e-mail at all (server/mail/config.ts). */
export function loadForgotPasswordPage(): { mailIsSent: boolean } {
  return { mailIsSent: Boolean(process.env.SMTP_URL?.trim()) };
}

/** The account of a link that can still be used at `now`; else not found (unknown) or gone (used, expired). */
async function usableToken(actor: Actor, token: string, now: Date) {
  if (!TOKEN_SHAPE.test(token)) throw fail.notFound(RESET_MESSAGES.missing);
  const row = await findResetToken(actor.db, hashToken(token));
  if (!row) throw fail.notFound(RESET_MESSAGES.missing);
  if (row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw new Failure("gone", RESET_MESSAGES.gone);
  return row;
}

/** What the reset page shows: the account's address (for password managers) while the link works. */
export async function loadResetPasswordPage(actor: Actor, token: string): Promise<{ email: string }> {
  const row = await usableToken(actor, token, new Date());
  return { email: row.email ?? "" };
}

/** Counts one submit of the new-password form from the client's address (before the form is read). */
export async function admitPasswordReset(actor: Actor): Promise<void> {
  await limited(actor, [
    [`password-reset-submit:ip:${addressKey(actor.ipAddress ?? "unknown")}`, RULES.passwordResetSubmitPerIp],
  ]);
}

/**
 * Sets the new password of the link's account: the link is used up, every session of the account ends (the person
 * signs in again with the new password), its other links stop working, and "password changed" is queued; all in
 * one transaction.
 */
export async function resetPassword(
  actor: Actor,
  token: string,
  input: z.infer<typeof resetPasswordInput>,
): Promise<void> {
  const account = await usableToken(actor, token, new Date());
  const hash = await hashPassword(input.password);
  const now = new Date();
  await withTransaction(actor.db, async (tx) => {
    const used = await useResetToken(tx, hashToken(token), now);
    // Used or expired between the check above and here (a second submit of the same link).
    if (!used) throw new Failure("gone", RESET_MESSAGES.gone);
    await setPasswordHash(tx, used.userId, hash);
    await deleteUserSessions(tx, used.userId);
    await retireResetTokens(tx, used.userId, now);
    await queuePasswordChangedNotice(tx, account, actor.links, now);
  });
}
