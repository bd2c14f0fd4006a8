/**
 * Actors for the issue use cases (app/use-cases/issues.server.ts and its siblings) in tests that call them without
 * HTTP: a real person of the organization with the permissions their role gives them, resolved like
 * app/lib/access.server.ts does, so the use cases' own permission checks run for real.
 */
import { eq } from "drizzle-orm";
import { ALL_PERMISSION_NAMES, PUBLIC_PERMISSIONS, expandPermissions } from "../../core/permissions";
import type { Db } from "../../db/client.server";
import { loadMemberAccess } from "../../db/queries/access.server";
import { users } from "../../db/schema";
import type { Actor, MemberActor } from "~/use-cases/actor";
import { reportIssue, type ReportIssueInput } from "~/use-cases/issues.server";
import { actorFor } from "./actors";

/** The user as they act in the organization: a member with their role's permissions, or a signed-in stranger. */
export async function personActor(db: Db, organizationId: string, userId: string): Promise<Actor> {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  const member = await loadMemberAccess(db, userId, organizationId);
  const isAdmin = Boolean(member?.isSystem && member.roleName === "Admin");
  const granted = new Set<string>(
    member ? (isAdmin ? ALL_PERMISSION_NAMES : expandPermissions(member.permissions)) : PUBLIC_PERMISSIONS,
  );
  const base = await actorFor(db, organizationId, []);
  return {
    ...base,
    user: { ...user, sessionId: "test" },
    membership: member ? { id: member.membershipId, roleId: member.roleId, roleName: member.roleName } : null,
    permissions: granted,
    isAdmin,
    can: (p) => granted.has(p),
  };
}

/** A member of the organization (throws when the user is not one). */
export async function memberActor(db: Db, organizationId: string, userId: string): Promise<MemberActor> {
  const actor = await personActor(db, organizationId, userId);
  if (!actor.user || !actor.membership) throw new Error(`user ${userId} is not a member of ${organizationId}`);
  return actor as MemberActor;
}

/** An anonymous visitor with the public permissions. */
export function visitorActor(db: Db, organizationId: string): Promise<Actor> {
  return actorFor(db, organizationId, PUBLIC_PERMISSIONS);
}

/** Reports an issue through the use case as its reporter would: the signed-in user, or an anonymous visitor. */
export async function reportIssueAs(db: Db, input: ReportIssueInput & { organizationId: string }) {
  const { organizationId, ...rest } = input;
  const actor = rest.reporter.userId
    ? await personActor(db, organizationId, rest.reporter.userId)
    : await visitorActor(db, organizationId);
  return reportIssue(actor, rest);
}
