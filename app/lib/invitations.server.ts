/**
 * Invitation links: making tokens, the one function that builds the link, and accepting an invitation (by a
 * signed-in user, or by a visitor who creates their account on the invitation page). The token is 32 random bytes;
 * only its SHA-256 is stored (db/queries/invitations.server.ts), so the admin sees the link once and can only replace it.
 * Accepting is single-use: the membership is created in the transaction that marks the invitation accepted, and
 * only while it is still pending and unexpired.
 */
import crypto from "node:crypto";
import { data } from "@remix-run/node";
import { recordAudit } from "../../db/queries/audit.server";
import { findInvitationByTokenHash, markInvitationAccepted, type InvitationByToken } from "../../db/queries/invitations.server";
import { addMembership, isOrganizationMember, lockOrganizationForRoleChanges } from "../../db/queries/members.server";
import { createUserWithPassword, userExistsWithEmail } from "../../db/queries/users.server";
import { withTransaction, type Db, type DbOrTx } from "./db.server";
import { notFound } from "./errors.server";
import { formatDateTime } from "~/lib/format";
import { hashToken } from "./session.server";
import { absoluteUrl } from "./tenant.server";

/** How long a link works after it was made (or replaced). */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** base64url of 32 bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

/**
 * The link that accepts an invitation. The one place that builds it: the members page shows it once, and the
 * e-mail that will send it must use this too.
 */
export function invitationLink(request: Request, token: string): string {
  return absoluteUrl(request, `/invite/${token}`);
}

export type InvitationLookup =
  | { state: "missing" }
  | { state: "gone"; reason: "accepted" | "revoked" | "expired" }
  | { state: "pending"; invitation: InvitationByToken };

/** The invitation of a link in this organization, and whether it can still be used at `now`. */
async function lookUpInvitation(db: Db, organizationId: string, token: string, now = new Date()): Promise<InvitationLookup> {
  if (!TOKEN_SHAPE.test(token)) return { state: "missing" };
  const invitation = await findInvitationByTokenHash(db, organizationId, hashToken(token));
  return classify(invitation, now);
}

function classify(invitation: InvitationByToken | null, now: Date): InvitationLookup {
  if (!invitation) return { state: "missing" };
  if (invitation.acceptedAt) return { state: "gone", reason: "accepted" };
  if (invitation.revokedAt) return { state: "gone", reason: "revoked" };
  if (invitation.expiresAt.getTime() <= now.getTime()) return { state: "gone", reason: "expired" };
  return { state: "pending", invitation };
}

export type AcceptOutcome =
  | { ok: true; userId: string; roleName: string; organizationName: string }
  | { ok: false; status: 404 | 409 | 410; error: string };

type AcceptRefusal = Extract<AcceptOutcome, { ok: false }>;

const refusal = (status: AcceptRefusal["status"], error: string): AcceptRefusal => ({ ok: false, status, error });

/** Thrown inside the transaction to roll it back with this answer. */
class RollBack extends Error {
  constructor(readonly outcome: AcceptRefusal) {
    super(outcome.error);
  }
}

export const INVITATION_MESSAGES = {
  missing: "We could not find that invitation. Check the link you were given.",
  gone: "This invitation link no longer works: it was used, withdrawn or has expired. Ask an admin of the organization for a new one.",
  alreadyMember: "You are already a member of this organization.",
  accountExists: "An account with this e-mail address already exists. Sign in with it to accept the invitation.",
} as const;

interface AcceptContext {
  db: Db;
  organizationId: string;
  token: string;
  ipAddress: string | null;
}

/**
 * Runs `join` for a still-usable invitation inside one transaction (organization locked like every membership
 * change), then marks the invitation accepted, adds the membership and records the audit row. Any refusal writes
 * nothing.
 */
async function acceptWith(
  ctx: AcceptContext,
  join: (tx: DbOrTx, invitation: InvitationByToken) => Promise<{ userId: string; newAccount: boolean } | AcceptRefusal>,
): Promise<AcceptOutcome> {
  if (!TOKEN_SHAPE.test(ctx.token)) return refusal(404, INVITATION_MESSAGES.missing);
  const now = new Date();
  try {
    return await withTransaction(ctx.db, async (tx) => {
      await lockOrganizationForRoleChanges(tx, ctx.organizationId);
      const found = classify(await findInvitationByTokenHash(tx, ctx.organizationId, hashToken(ctx.token)), now);
      if (found.state === "missing") return refusal(404, INVITATION_MESSAGES.missing);
      if (found.state === "gone") return refusal(410, INVITATION_MESSAGES.gone);
      const invitation = found.invitation;
      const joined = await join(tx, invitation);
      if ("ok" in joined) return joined;
      // From here on a refusal must undo what `join` and the steps before wrote: throw to roll back.
      if (!(await markInvitationAccepted(tx, ctx.organizationId, invitation.id, joined.userId, now))) {
        throw new RollBack(refusal(410, INVITATION_MESSAGES.gone));
      }
      const membershipId = await addMembership(tx, ctx.organizationId, joined.userId, invitation.roleId);
      if (!membershipId) throw new RollBack(refusal(409, INVITATION_MESSAGES.alreadyMember));
      await recordAudit(tx, {
        organizationId: ctx.organizationId,
        actorId: joined.userId,
        action: "invitation.accepted",
        targetType: "Invitation",
        targetId: invitation.id,
        meta: { email: invitation.email, role: invitation.roleName, membershipId, newAccount: joined.newAccount },
        ipAddress: ctx.ipAddress,
      });
      return { ok: true as const, userId: joined.userId, roleName: invitation.roleName, organizationName: invitation.organizationName };
    });
  } catch (error) {
    if (error instanceof RollBack) return error.outcome;
    throw error;
  }
}

/** A signed-in user accepts: they become a member with the invited role (not when already a member). */
export function acceptInvitationAsUser(ctx: AcceptContext, userId: string): Promise<AcceptOutcome> {
  return acceptWith(ctx, async (tx) => {
    if (await isOrganizationMember(tx, ctx.organizationId, userId)) {
      return refusal(409, INVITATION_MESSAGES.alreadyMember);
    }
    return { userId, newAccount: false };
  });
}

/**
 * A visitor without an account creates one on the invitation page: the e-mail is the invited address (the link was
 * sent to it, so it counts as verified), the name and password are theirs. Refused when an account with that address
 * exists: its owner signs in and accepts instead.
 */
export function acceptInvitationWithNewAccount(ctx: AcceptContext, input: { name: string; passwordHash: string }): Promise<AcceptOutcome> {
  return acceptWith(ctx, async (tx, invitation) => {
    if (await userExistsWithEmail(tx, invitation.email)) {
      return refusal(409, INVITATION_MESSAGES.accountExists);
    }
    const user = await createUserWithPassword(tx, { email: invitation.email, name: input.name, hash: input.passwordHash, emailVerified: new Date() });
    if (!user) return refusal(409, INVITATION_MESSAGES.accountExists);
    return { userId: user.id, newAccount: true };
  });
}

/** What the invitation page shows: the organization, role and address, and what this visitor can do next. */
export async function invitationPage(db: Db, organizationId: string, token: string, viewer: { userId: string | null; email: string | null; isMember: boolean }) {
  const found = await lookUpInvitation(db, organizationId, token);
  if (found.state === "missing") notFound(INVITATION_MESSAGES.missing);
  if (found.state === "gone") throw data({ message: INVITATION_MESSAGES.gone }, { status: 410 });
  const invitation = found.invitation;
  return {
    organizationName: invitation.organizationName,
    roleName: invitation.roleName,
    email: invitation.email,
    expiresAt: formatDateTime(invitation.expiresAt),
    expiresIso: invitation.expiresAt.toISOString(),
    signedIn: viewer.userId !== null,
    signedInAs: viewer.email,
    isMember: viewer.isMember,
    // Only a visitor holding the link learns whether the invited address has an account: they need to know whether
    // to sign in or to create one.
    accountExists: viewer.userId === null ? await userExistsWithEmail(db, invitation.email) : true,
  };
}
