/**
 * Invitations by link: an admin invites an address with a role and gets a link, shown once (only the SHA-256 of its
 * 32-byte token is stored), can replace the link or withdraw the invitation; the invited person opens the link and
 * joins (signed in, or creating their account on the invitation page). Accepting is single-use: the membership is
 * created in the transaction that marks the invitation accepted, and only while it is still pending and unexpired.
 * Every write locks the organization's role changes and asks the delegation rule (core/role-rules.ts): whoever
 * makes a working link hands out the role.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { fail } from "../../core/failure";
import { hashPassword } from "../../core/password.server";
import { invitationMail } from "../../core/mail/invitations";
import { checkControl, checkGrant, validateInviteRole } from "../../core/role-rules";
import {
  createInvitation,
  findInvitation,
  findInvitationByTokenHash,
  markInvitationAccepted,
  replaceInvitationToken,
  revokeInvitation,
  type InvitationByToken,
} from "../../db/queries/invitations.server";
import { recordAudit } from "../../db/queries/audit.server";
import { queueMail } from "../../db/queries/outbox.server";
import {
  addMembership,
  isMemberByEmail,
  isOrganizationMember,
  lockOrganizationForRoleChanges,
} from "../../db/queries/members.server";
import { findRoleFacts } from "../../db/queries/roles.server";
import { userExistsWithEmail } from "../../db/queries/users.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { hashToken } from "../lib/session.server";
import { absoluteUrl } from "../lib/tenant.server";
import { requireCan, type Actor } from "./actor";
import { auditBy } from "./audit.server";
import { markEmailVerifiedIfNot, requireVerifiedEmail } from "./email-verification.server";
import { PASSWORDS_DIFFER, insertAccount, newPassword, personName, spendSignUpAllowance } from "./accounts.server";
import { actorFacts, permissionsOf } from "./roles.server";

// ---------------------------------------------------------------------------------------------------------------
// Input

const roleId = z.string({ error: "Choose a role" }).trim().min(1, "Choose a role").max(64, "Choose a role");

export const inviteInput = z.object({ email: fields.email, roleId });

/** "Create a new link" and "Withdraw" on a pending invitation. */
export const invitationIdInput = z.object({ invitationId: fields.id });

/** Creating an account on an invitation page: the e-mail is the invited one, not a field. */
export const invitationAccountInput = z
  .object({ name: personName, password: newPassword, confirm: z.string().max(256) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: PASSWORDS_DIFFER });

// ---------------------------------------------------------------------------------------------------------------
// Tokens and links

/** How long a link works after it was made (or replaced). */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** base64url of 32 bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function newInvitationToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

/** The path that accepts an invitation: the members page shows it once, and the invitation e-mail carries it. */
export const invitationPath = (token: string) => `/invite/${token}`;

/** The link that accepts an invitation, on this request's public origin. */
export function invitationLink(request: Request, token: string): string {
  return absoluteUrl(request, invitationPath(token));
}

/** What MailOutbox.kind says of an invitation e-mail (/admin/outbox, `npm run mail:outbox`). */
export const INVITATION_MAIL_KIND = "invitation";

/**
 * Queues the e-mail that carries a link just made, in the transaction that made it (a rollback takes it along).
 * An organization message: admins of installs without SMTP read it on /admin/outbox. One message per link: the key
 * holds the token's hash, so a new link sends again and nothing else can.
 */
async function queueInvitationMail(
  tx: DbOrTx,
  actor: Actor,
  input: { invitationId: string; email: string; roleName: string; token: string; tokenHash: string; expiresAt: Date },
  renewed: boolean,
): Promise<void> {
  await queueMail(tx, {
    kind: INVITATION_MAIL_KIND,
    organizationId: actor.organizationId,
    to: input.email,
    dedupeKey: `invitation:${input.invitationId}:${input.tokenHash}`,
    ...invitationMail({
      organizationName: actor.organization.name,
      roleName: input.roleName,
      invitedByName: actor.user?.name ?? null,
      acceptUrl: actor.links(invitationPath(input.token)),
      expiresAt: dateFormatterFor(actor.organization).dateTime(input.expiresAt),
      renewed,
    }),
  });
}

/** A link just made: its token (never stored, never shown again), for whom, and until when it works. */
export interface NewLink {
  token: string;
  email: string;
  expiresAt: string;
}

/** What the members page shows of a link just made. */
export function shownLink(request: Request, link: NewLink): { url: string; email: string; expiresAt: string } {
  return { url: invitationLink(request, link.token), email: link.email, expiresAt: link.expiresAt };
}

export const INVITATION_MESSAGES = {
  missing: "We could not find that invitation. Check the link you were given.",
  gone: "This invitation link no longer works: it was used, withdrawn or has expired. Ask an admin of the organization for a new one.",
  alreadyMember: "You are already a member of this organization.",
  accountExists: "An account with this e-mail address already exists. Sign in with it to accept the invitation.",
  notPending: "That invitation does not exist or is no longer pending.",
} as const;

// ---------------------------------------------------------------------------------------------------------------
// The admin's side (members page)

/** Invites an address with a role and e-mails it the link; the answer carries the link, to be shown once. */
export async function inviteMember(
  actor: Actor,
  input: z.infer<typeof inviteInput>,
): Promise<{ message: string; link: NewLink }> {
  requireCan(actor, "user:manage");
  if (actor.user) await requireVerifiedEmail(actor.db, actor.user.id);
  const { organizationId } = actor;
  const email = input.email.trim().toLowerCase();
  const { token, tokenHash } = newInvitationToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const role = await findRoleFacts(tx, organizationId, input.roleId);
    const rule = {
      organizationId,
      actor: actorFacts(actor),
      role,
      permissions: await permissionsOf(tx, organizationId, role),
    };
    validateInviteRole(rule);
    if (await isMemberByEmail(tx, organizationId, email))
      throw fail.conflict(`${email} is already a member of this organization.`, "email");
    const created = await createInvitation(tx, organizationId, {
      email,
      roleId: rule.role.id,
      tokenHash,
      invitedById: actor.user?.id ?? null,
      expiresAt,
      now,
    });
    if (created.status === "conflict") {
      throw fail.conflict(
        `${email} already has a pending invitation. Create a new link for it below, or withdraw it.`,
        "email",
      );
    }
    await auditBy(tx, actor, {
      action: "invitation.created",
      targetType: "Invitation",
      targetId: created.id,
      meta: { email, role: rule.role.name, expiresAt: expiresAt.toISOString() },
    });
    const mail = { invitationId: created.id, email, roleName: rule.role.name, token, tokenHash, expiresAt };
    await queueInvitationMail(tx, actor, mail, false);
    return {
      message: `Invitation for ${email} as ${rule.role.name} created.`,
      link: { token, email, expiresAt: dateFormatterFor(actor.organization).dateTime(expiresAt) },
    };
  });
}

/** A pending invitation of the organization with its role, inside the caller's transaction; else not found. */
async function pendingInvitation(tx: DbOrTx, organizationId: string, invitationId: string) {
  const invitation = await findInvitation(tx, organizationId, invitationId);
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) throw fail.notFound(INVITATION_MESSAGES.notPending);
  const role = await findRoleFacts(tx, organizationId, invitation.roleId);
  if (!role) throw fail.notFound(INVITATION_MESSAGES.notPending);
  return { invitation, role, permissions: await permissionsOf(tx, organizationId, role) };
}

/**
 * Replaces the link of a pending invitation (the old one stops working), resets its expiry and e-mails the new
 * link. Whoever makes a working link hands out the role, so the delegation rule for giving that role applies.
 */
export async function renewInvitationLink(
  actor: Actor,
  invitationId: string,
): Promise<{ message: string; link: NewLink }> {
  requireCan(actor, "user:manage");
  if (actor.user) await requireVerifiedEmail(actor.db, actor.user.id);
  const { organizationId } = actor;
  const { token, tokenHash } = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const { invitation, role, permissions } = await pendingInvitation(tx, organizationId, invitationId);
    checkGrant(actorFacts(actor), role, permissions);
    await replaceInvitationToken(tx, organizationId, invitation.id, { tokenHash, expiresAt });
    await auditBy(tx, actor, {
      action: "invitation.link_renewed",
      targetType: "Invitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.roleName, expiresAt: expiresAt.toISOString() },
    });
    const mail = { invitationId: invitation.id, email: invitation.email, roleName: invitation.roleName };
    await queueInvitationMail(tx, actor, { ...mail, token, tokenHash, expiresAt }, true);
    return {
      message: `New link for ${invitation.email} created; the old link no longer works.`,
      link: { token, email: invitation.email, expiresAt: dateFormatterFor(actor.organization).dateTime(expiresAt) },
    };
  });
}

/** Withdraws a pending invitation: its link stops working. */
export async function withdrawInvitation(actor: Actor, invitationId: string): Promise<string> {
  requireCan(actor, "user:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const { invitation, role, permissions } = await pendingInvitation(tx, organizationId, invitationId);
    checkControl(actorFacts(actor), role, permissions);
    await revokeInvitation(tx, organizationId, invitation.id, new Date());
    await auditBy(tx, actor, {
      action: "invitation.revoked",
      targetType: "Invitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.roleName },
    });
    return `The invitation for ${invitation.email} was withdrawn; its link no longer works.`;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The invited person's side (/invite/<token>)

/** The invitation of a link in this organization if it can still be used at `now`; else not found or gone. */
async function usableInvitation(
  db: DbOrTx,
  organizationId: string,
  token: string,
  now: Date,
): Promise<InvitationByToken> {
  if (!TOKEN_SHAPE.test(token)) throw fail.notFound(INVITATION_MESSAGES.missing);
  const invitation = await findInvitationByTokenHash(db, organizationId, hashToken(token));
  if (!invitation) throw fail.notFound(INVITATION_MESSAGES.missing);
  if (invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt.getTime() <= now.getTime())
    throw fail.gone(INVITATION_MESSAGES.gone);
  return invitation;
}

/** What the invitation page shows: the organization, role and address, and what this visitor can do next. */
export async function loadInvitationPage(actor: Actor, token: string) {
  const invitation = await usableInvitation(actor.db, actor.organizationId, token, new Date());
  const signedIn = actor.user !== null;
  return {
    organizationName: invitation.organizationName,
    roleName: invitation.roleName,
    email: invitation.email,
    expiresAt: dateFormatterFor(actor.organization).dateTime(invitation.expiresAt),
    expiresIso: invitation.expiresAt.toISOString(),
    signedIn,
    signedInAs: actor.user?.email ?? null,
    isMember: actor.membership !== null,
    // Only a visitor holding the link learns whether the invited address has an account: they need to know whether
    // to sign in or to create one.
    accountExists: signedIn ? true : await userExistsWithEmail(actor.db, invitation.email),
  };
}

/**
 * Runs `join` for a still-usable invitation inside one transaction (organization locked like every membership
 * change), then marks the invitation accepted, adds the membership and records the audit row. Any refusal (a
 * Failure thrown at any step) rolls everything back.
 */
async function acceptWith(
  actor: Actor,
  token: string,
  join: (tx: DbOrTx, invitation: InvitationByToken) => Promise<{ userId: string; newAccount: boolean }>,
): Promise<{ userId: string }> {
  const { organizationId } = actor;
  if (!TOKEN_SHAPE.test(token)) throw fail.notFound(INVITATION_MESSAGES.missing);
  const now = new Date();
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const invitation = await usableInvitation(tx, organizationId, token, now);
    const joined = await join(tx, invitation);
    if (!(await markInvitationAccepted(tx, organizationId, invitation.id, joined.userId, now)))
      throw fail.gone(INVITATION_MESSAGES.gone);
    const membershipId = await addMembership(tx, organizationId, joined.userId, invitation.roleId);
    if (!membershipId) throw fail.conflict(INVITATION_MESSAGES.alreadyMember);
    // The person joining is the actor of this row (a new account has no session yet).
    await recordAudit(tx, {
      organizationId,
      actorId: joined.userId,
      ipAddress: actor.ipAddress,
      action: "invitation.accepted",
      targetType: "Invitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.roleName, membershipId, newAccount: joined.newAccount },
    });
    return { userId: joined.userId };
  });
}

/**
 * A signed-in user accepts: they become a member with the invited role (not when already a member). Their address
 * must be verified, unless the invitation was sent to it.
 */
export async function acceptInvitation(actor: Actor, token: string): Promise<void> {
  const user = actor.user;
  if (!user) throw fail.invalid("Sign in first to accept the invitation.");
  await acceptWith(actor, token, async (tx, invitation) => {
    if (await isOrganizationMember(tx, actor.organizationId, user.id))
      throw fail.conflict(INVITATION_MESSAGES.alreadyMember);
    // The link was e-mailed to the invited address: accepting it with the account of that address proves it.
    // Anyone else joins only with a proved address (./email-verification.server.ts).
    const own = user.email?.toLowerCase() === invitation.email.toLowerCase();
    if (own) await markEmailVerifiedIfNot(tx, user.id, invitation.email);
    else await requireVerifiedEmail(tx, user.id);
    return { userId: user.id, newAccount: false };
  });
}

/**
 * The first step of creating an account on the invitation page, before the form is read: a signed-in visitor
 * accepts with their account instead, and every attempt counts against the address's sign-up allowance.
 */
export async function admitNewAccount(actor: Actor): Promise<void> {
  if (actor.user) throw fail.invalid("You are signed in: accept with your account instead.");
  await spendSignUpAllowance(actor);
}

/**
 * A visitor without an account creates one on the invitation page: the e-mail is the invited address (the link was
 * sent to it, so it counts as verified), the name and password are theirs. Refused when an account with that address
 * exists: its owner signs in and accepts instead. Answers the new user's id (the route starts their session).
 */
export async function acceptInvitationWithNewAccount(
  actor: Actor,
  token: string,
  input: z.infer<typeof invitationAccountInput>,
): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  return acceptWith(actor, token, async (tx, invitation) => {
    const user = await insertAccount(tx, {
      email: invitation.email,
      name: input.name,
      passwordHash,
      emailVerified: new Date(),
    });
    if (!user) throw fail.conflict(INVITATION_MESSAGES.accountExists);
    return { userId: user.id, newAccount: true };
  });
}
