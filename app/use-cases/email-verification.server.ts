/**
 * Proving an e-mail address. A sign-up sends a link to the new address; opening it (and pressing the button, so
 * a mail scanner that fetches links proves nothing) marks the address verified. The account works meanwhile, but
 * inviting people, joining an organization and getting notification e-mails need a verified address
 * (`requireVerifiedEmail`). Changing the address sends a confirming link to the NEW address and a notice to the OLD
 * one; the change happens only when that link is used. Links are single-use, valid 24 hours, only their SHA-256 is
 * stored (VerificationToken, db/queries/verification-tokens.server.ts). Every message here is an account message
 * (organizationId null): it hands over the account, so no organization admin may read it on /admin/outbox.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { emailChangeConfirmMail, emailChangeNoticeMail, verifyEmailMail } from "../../core/mail/account";
import { verifyPassword } from "../../core/password.server";
import { queueMail } from "../../db/queries/outbox.server";
import {
  emailTakenByOther,
  findPasswordHash,
  findUserEmailState,
  markEmailVerified,
  setUserEmail,
} from "../../db/queries/users.server";
import {
  findVerificationToken,
  insertVerificationToken,
  retireVerificationTokens,
  useVerificationToken,
} from "../../db/queries/verification-tokens.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { RULES, refund, take } from "../lib/rate-limit.server";
import { hashToken } from "../lib/session.server";
import type { LinkTo } from "../lib/tenant.server";
import type { Actor } from "./actor";

/** How long a link works. */
export const ADDRESS_LINK_TTL_MS = 24 * 60 * 60_000;

export const ADDRESS_MAIL_KINDS = {
  verify: "email_verification",
  changeConfirm: "email_change_confirm",
  changeNotice: "email_change_notice",
} as const;

/** The sentence every refusal for an unverified address uses; the account page has the "send a new link" button. */
export const VERIFY_FIRST =
  "Verify your e-mail address first: open the link we sent you, or send a new link from your account page (/account).";

export const ADDRESS_MESSAGES = {
  missing: "This link does not work. Check that you copied the whole link.",
  gone: "This link was already used or has expired. Send a new one from your account page.",
  taken: "Another account already uses that e-mail address.",
  same: "That is already your e-mail address.",
  tooMany: "Too many e-mails asked for. Please wait an hour and try again.",
  wrongPassword: "That is not your current password.",
} as const;

/** base64url of 32 bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const emailChangeInput = z.object({
  email: fields.email,
  current: z.string().min(1, "Enter your current password").max(256),
});

type Purpose = "verify" | "email-change";

const identifierOf = (purpose: Purpose, userId: string, email: string) => `${purpose}:${userId}:${email}`;

function parseIdentifier(identifier: string): { purpose: Purpose; userId: string; email: string } | null {
  const m = /^(verify|email-change):([^:]+):(.+)$/.exec(identifier);
  return m ? { purpose: m[1] as Purpose, userId: m[2], email: m[3] } : null;
}

/** Refuses (403, VERIFY_FIRST) unless the user's address was proved. */
export async function requireVerifiedEmail(db: DbOrTx, userId: string): Promise<void> {
  const user = await findUserEmailState(db, userId);
  if (!user?.emailVerified) throw fail.forbidden(VERIFY_FIRST);
}

/** Marks the address proved when it was not yet (an invitation link sent to it was used). */
export async function markEmailVerifiedIfNot(tx: DbOrTx, userId: string, email: string): Promise<void> {
  const user = await findUserEmailState(tx, userId);
  if (user && !user.emailVerified) await markEmailVerified(tx, userId, email, new Date());
}

/** Makes a link for `purpose`, retiring the user's older links of that purpose; answers the token (never stored). */
async function newLink(tx: DbOrTx, purpose: Purpose, userId: string, email: string, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await retireVerificationTokens(tx, `${purpose}:${userId}:`);
  await insertVerificationToken(tx, {
    identifier: identifierOf(purpose, userId, email),
    tokenHash: hashToken(token),
    expires: new Date(now.getTime() + ADDRESS_LINK_TTL_MS),
  });
  return token;
}

const linkPath = (token: string) => `/verify-email/${token}`;

/** Queues the verification link of a new account, inside the transaction that created it. */
export async function queueVerificationMail(
  tx: DbOrTx,
  user: { id: string; email: string; name: string | null },
  links: LinkTo,
  now = new Date(),
): Promise<void> {
  const token = await newLink(tx, "verify", user.id, user.email, now);
  await queueMail(tx, {
    kind: ADDRESS_MAIL_KINDS.verify,
    organizationId: null,
    to: user.email,
    ...verifyEmailMail({
      name: user.name,
      verifyUrl: links(linkPath(token)),
      validHours: ADDRESS_LINK_TTL_MS / 3_600_000,
    }),
  });
}

function signedInUser(actor: Actor): { id: string } {
  if (!actor.user) throw fail.forbidden("Sign in first.");
  return actor.user;
}

async function spendAddressMail(actor: Actor, userId: string): Promise<void> {
  const limit = await take(actor.db, [[`address-mail:user:${userId}`, RULES.addressMailPerUser]]);
  if (!limit.allowed)
    throw new Failure("rate_limited", ADDRESS_MESSAGES.tooMany, { retryAfterSeconds: limit.retryAfterSeconds });
}

/** "Send me a new link" on the account page (rate limited per account). */
export async function resendVerification(actor: Actor): Promise<string> {
  const { id } = signedInUser(actor);
  const user = await findUserEmailState(actor.db, id);
  if (!user?.email) throw fail.notFound("Your account has no e-mail address.");
  if (user.emailVerified) return "Your e-mail address is already verified.";
  await spendAddressMail(actor, id);
  const email = user.email;
  await withTransaction(actor.db, (tx) => queueVerificationMail(tx, { id, email, name: user.name }, actor.links));
  return `We sent a new link to ${email}. The older links no longer work.`;
}

/**
 * Asks to move the account to a new address: checks the current password (a borrowed session must not be able to
 * take the account away), sends the confirming link to the new address and the notice to the old one. Nothing
 * changes until the link is used.
 */
export async function requestEmailChange(actor: Actor, input: z.infer<typeof emailChangeInput>): Promise<string> {
  const { id } = signedInUser(actor);
  const { db } = actor;
  const user = await findUserEmailState(db, id);
  if (!user) throw fail.notFound("Your account was not found.");
  const email = input.email.trim().toLowerCase();
  if (user.email?.toLowerCase() === email) throw fail.invalid(ADDRESS_MESSAGES.same, "email");
  // Wrong passwords count like on the password form; a right one gives its slot back.
  const guessKey = `password-change:user:${id}`;
  const guesses = await take(db, [[guessKey, RULES.passwordChangePerUser]]);
  if (!guesses.allowed)
    throw new Failure("rate_limited", "Too many attempts. Please wait a few minutes and try again.", {
      retryAfterSeconds: guesses.retryAfterSeconds,
    });
  const stored = await findPasswordHash(db, id);
  if (!stored || !(await verifyPassword(input.current, stored)).ok)
    throw fail.invalid(ADDRESS_MESSAGES.wrongPassword, "current");
  await refund(db, guessKey);
  if (await emailTakenByOther(db, email, id)) throw fail.conflict(ADDRESS_MESSAGES.taken, "email");
  await spendAddressMail(actor, id);
  const now = new Date();
  await withTransaction(db, async (tx) => {
    const token = await newLink(tx, "email-change", id, email, now);
    await queueMail(tx, {
      kind: ADDRESS_MAIL_KINDS.changeConfirm,
      organizationId: null,
      to: email,
      ...emailChangeConfirmMail({
        name: user.name,
        newEmail: email,
        confirmUrl: actor.links(linkPath(token)),
        validHours: ADDRESS_LINK_TTL_MS / 3_600_000,
      }),
    });
    if (user.email) {
      await queueMail(tx, {
        kind: ADDRESS_MAIL_KINDS.changeNotice,
        organizationId: null,
        to: user.email,
        ...emailChangeNoticeMail({
          name: user.name,
          newEmail: email,
          requestedAt: dateFormatterFor({}).dateTime(now),
          forgotUrl: actor.links("/forgot-password"),
        }),
      });
    }
  });
  return `We sent a link to ${email}. Your address changes when you open it; until then, keep using ${user.email ?? "your current address"}.`;
}

/** The link's purpose and address while it can be used; else not found (unknown) or gone (used, expired). */
async function usableLink(db: DbOrTx, token: string, now: Date) {
  if (!TOKEN_SHAPE.test(token)) throw fail.notFound(ADDRESS_MESSAGES.missing);
  const row = await findVerificationToken(db, hashToken(token));
  const parsed = row && parseIdentifier(row.identifier);
  if (!row || !parsed) throw fail.notFound(ADDRESS_MESSAGES.missing);
  if (row.expires.getTime() <= now.getTime()) throw fail.gone(ADDRESS_MESSAGES.gone);
  return parsed;
}

/** What the link's page says: which address it proves, and for what. */
export async function loadAddressLinkPage(actor: Actor, token: string) {
  const link = await usableLink(actor.db, token, new Date());
  return { purpose: link.purpose, email: link.email };
}

/**
 * Uses the link (the button on its page): verifies the address, or makes the new address the account's. Single
 * use; a verification link of an address the account no longer has, or a new address another account took since,
 * changes nothing.
 */
export async function redeemAddressLink(actor: Actor, token: string): Promise<string> {
  const now = new Date();
  await usableLink(actor.db, token, now);
  return withTransaction(actor.db, async (tx) => {
    const identifier = await useVerificationToken(tx, hashToken(token), now);
    const link = identifier ? parseIdentifier(identifier) : null;
    if (!link) throw fail.gone(ADDRESS_MESSAGES.gone);
    if (link.purpose === "verify") {
      if (!(await markEmailVerified(tx, link.userId, link.email, now))) throw fail.gone(ADDRESS_MESSAGES.gone);
      return `${link.email} is verified.`;
    }
    if (await emailTakenByOther(tx, link.email, link.userId)) throw fail.conflict(ADDRESS_MESSAGES.taken);
    await setUserEmail(tx, link.userId, link.email, now);
    // Older verification links were for the old address.
    await retireVerificationTokens(tx, `verify:${link.userId}:`);
    return `Your account now uses ${link.email}.`;
  });
}

/** Whether the signed-in person's address is proved (pages show a note and the "send a new link" button). */
export async function emailVerifiedOf(db: DbOrTx, userId: string): Promise<boolean> {
  return Boolean((await findUserEmailState(db, userId))?.emailVerified);
}
