/**
 * People's own accounts: signing up, the profile, changing the password and signing out everywhere. Accounts are
 * global (not per organization); joining an organization goes through an invitation link (./invitations.server.ts).
 * Sessions themselves (cookies) are request glue: app/lib/session.server.ts.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { isCommonPassword } from "../../core/password-policy";
import { hashPassword, verifyPassword } from "../../core/password.server";
import { countUserSessions, deleteUserSessions } from "../../db/queries/sessions.server";
import {
  findPasswordHash,
  getUserProfile,
  insertUser,
  setPasswordHash,
  updateUserProfile,
  userExistsWithEmail,
} from "../../db/queries/users.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { RULES, checkLimits, refund, take } from "../lib/rate-limit.server";
import type { Actor } from "./actor";
import { emailVerifiedOf, queueVerificationMail } from "./email-verification.server";
import { queuePasswordChangedNotice } from "./security-notices.server";

// ---------------------------------------------------------------------------------------------------------------
// Input

/** A person's name, as on sign-up, invitation and profile forms. */
export const personName = z.string().trim().min(1, "Tell us your name").max(100, "Keep your name under 100 characters");

/** A password being chosen: the shared length rule, and not one of the most common passwords. */
export const newPassword = fields.password.refine(
  (p) => !isCommonPassword(p),
  "That password is too common; choose another",
);

export const PASSWORDS_DIFFER = "The passwords do not match";

export const signupInput = z
  .object({ name: personName, email: fields.email, password: newPassword, confirm: z.string().max(256) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: PASSWORDS_DIFFER });

export const profileInput = z.object({
  name: personName,
  bio: z
    .string()
    .trim()
    .max(500, "Keep your bio under 500 characters")
    .optional()
    .transform((v) => v || null),
});

export const passwordChangeInput = z
  .object({
    current: z.string().min(1, "Enter your current password").max(256),
    password: newPassword,
    confirm: z.string().max(256),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: PASSWORDS_DIFFER });

export type SignupInput = z.infer<typeof signupInput>;

/** A signed-in person (any organization, member or not). */
export type UserActor = Actor & { user: NonNullable<Actor["user"]> };

function requireUserActor(actor: Actor): asserts actor is UserActor {
  if (!actor.user) throw fail.forbidden("Sign in first.");
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-up

const TOO_MANY_ACCOUNTS = "Too many accounts created from here. Please try again later.";

/** Counts one account creation from the actor's address (sign-up and invitation pages share it). */
export async function spendSignUpAllowance(actor: Actor): Promise<void> {
  const limit = await checkLimits(actor.db, [[`signup:ip:${actor.ipAddress ?? "unknown"}`, RULES.signupPerIp]]);
  if (!limit.allowed)
    throw new Failure("rate_limited", TOO_MANY_ACCOUNTS, { retryAfterSeconds: limit.retryAfterSeconds });
}

/**
 * The first step of a sign-up, on the raw form: every attempt counts against the address's allowance, and a filled
 * honeypot field (people never see "website"; bots fill it) is answered like a success before validation, so a bot
 * learns nothing from field errors. "trap" means: answer as if done, create nothing.
 */
export async function admitSignUp(actor: Actor, form: Record<string, unknown>): Promise<"trap" | "go"> {
  await spendSignUpAllowance(actor);
  if (typeof form.website === "string" && form.website.trim() !== "") {
    console.warn("signup: honeypot field filled; ignored", { ip: actor.ipAddress ?? "unknown" });
    return "trap";
  }
  return "go";
}

/**
 * Creates an account with a password inside the caller's transaction, or returns null when any user already has
 * the e-mail (with or without a password: an existing row is never taken over).
 */
export async function insertAccount(
  tx: DbOrTx,
  input: { email: string; name: string; passwordHash: string; emailVerified?: Date | null },
): Promise<{ id: string } | null> {
  // The unique index is case-sensitive; stored e-mails are lower-cased, but an older row might not be.
  if (await userExistsWithEmail(tx, input.email)) return null;
  const user = await insertUser(tx, { email: input.email, name: input.name, emailVerified: input.emailVerified });
  if (!user) return null;
  await setPasswordHash(tx, user.id, input.passwordHash);
  return user;
}

/**
 * Signs up. The answer is the same whether or not the address already had an account (no account enumeration):
 * the owner is the only one who should hear about it (notifyExistingAccountOwner). The password is hashed before
 * the address is looked up, so both cases take the same time.
 */
export async function signUp(actor: Actor, input: SignupInput): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const user = await withTransaction(actor.db, async (tx) => {
    const created = await insertAccount(tx, { email: input.email, name: input.name, passwordHash });
    // The account works at once; the link proves the address (./email-verification.server.ts).
    if (created) await queueVerificationMail(tx, { id: created.id, email: input.email, name: input.name }, actor.links);
    return created;
  });
  if (!user) await notifyExistingAccountOwner(input.email);
}

/**
 * Once PinPoint sends e-mail, this tells the owner someone tried to sign up with their address and how to sign in
 * or reset the password. Until then it only notes the event, without the address.
 */
async function notifyExistingAccountOwner(email: string): Promise<void> {
  void email;
  console.info(
    "signup: an account already exists for the submitted address; no account was created (no e-mail is sent yet)",
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The account page

export async function loadAccountPage(actor: Actor) {
  requireUserActor(actor);
  const [profile, sessions, emailVerified] = await Promise.all([
    getUserProfile(actor.db, actor.user.id),
    countUserSessions(actor.db, actor.user.id),
    emailVerifiedOf(actor.db, actor.user.id),
  ]);
  // What the page shows of the profile (the page's data holds JSON values only: app/lib/page-data.ts).
  const shown = profile && { name: profile.name, email: profile.email, bio: profile.bio };
  return { profile: shown, sessions, emailVerified };
}

export async function updateProfile(actor: Actor, input: z.infer<typeof profileInput>): Promise<void> {
  requireUserActor(actor);
  await updateUserProfile(actor.db, actor.user.id, { name: input.name, bio: input.bio });
}

/**
 * Changes the password after checking the current one, signs out every other browser of this user and queues the
 * "password changed" notice (with a reset link). Guessing the current password from a hijacked session is
 * limited like sign-in: only wrong current passwords count (the slot taken here is given back when it was right).
 */
export async function changePassword(actor: Actor, input: z.infer<typeof passwordChangeInput>): Promise<void> {
  requireUserActor(actor);
  const { db, user } = actor;
  const limitKey = `password-change:user:${user.id}`;
  const limit = await take(db, [[limitKey, RULES.passwordChangePerUser]]);
  if (!limit.allowed) {
    throw new Failure("rate_limited", "Too many attempts. Please wait a few minutes and try again.", {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const stored = await findPasswordHash(db, user.id);
  if (!stored || !(await verifyPassword(input.current, stored)).ok)
    throw fail.invalid("That is not your current password.", "current");
  await refund(db, limitKey);
  const hash = await hashPassword(input.password);
  await withTransaction(db, async (tx) => {
    await setPasswordHash(tx, user.id, hash);
    await deleteUserSessions(tx, user.id, user.sessionId);
    await queuePasswordChangedNotice(tx, user, actor.links, new Date());
  });
}

/** Deletes every session of the user, this one included (the route then clears the cookie). */
export async function signOutEverywhere(actor: Actor): Promise<void> {
  requireUserActor(actor);
  await deleteUserSessions(actor.db, actor.user.id);
}
