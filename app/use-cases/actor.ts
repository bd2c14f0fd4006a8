/**
 * Who a use case acts for: the request's resolved access (app/lib/access.server.ts) minus anything HTTP. Use cases
 * take it as their first argument, read the database from it and check permissions with `requireCan`.
 */
import { fail } from "../../core/failure";
import type { PermissionName } from "../../core/permissions";
import type { Access } from "../lib/access.server";

export type Actor = Pick<
  Access,
  | "db"
  | "organization"
  | "organizationId"
  | "user"
  | "membership"
  | "permissions"
  | "isAdmin"
  | "can"
  | "ipAddress"
  | "links"
>;

/** A signed-in member of the actor's organization. */
export type MemberActor = Actor & { user: NonNullable<Actor["user"]>; membership: NonNullable<Actor["membership"]> };

/** Throws Failure("forbidden") unless the actor holds at least one of the permissions. */
export function requireCan(actor: Actor, ...anyOf: PermissionName[]): void {
  if (!anyOf.some((p) => actor.can(p))) throw fail.forbidden();
}

/** Throws Failure("forbidden") unless the actor is a signed-in member (and holds one of the permissions, if given). */
export function requireMemberActor(actor: Actor, ...anyOf: PermissionName[]): asserts actor is MemberActor {
  if (!actor.user || !actor.membership) throw fail.forbidden("Only members of this organization can do that.");
  if (anyOf.length) requireCan(actor, ...anyOf);
}
