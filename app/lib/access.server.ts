/**
 * The authorization chokepoint. Every loader and action of tenant data starts with `requirePermission(args, "x:y")`
 * (or `getAccess` for pages that adapt to the visitor). The organization always comes from the request's host,
 * never from form data; the role and permissions are read from the database on every request, so a role change or
 * a removed membership takes effect immediately.
 */
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { Db } from "./db.server";
import {
  ALL_PERMISSION_NAMES,
  UNAUTHENTICATED_PERMISSIONS,
  expandPermissions,
  isPublicPermission,
  type PermissionName,
} from "../../core/permissions";
import { loadRequestAccess } from "../../db/queries/access.server";
import type { OrganizationSummary } from "../../db/queries/organizations.server";
import { getDb } from "./context.server";
import { forbidden, notFound } from "./errors.server";
import { requestSessionToken, sessionUserOf, type SessionUser } from "./session.server";
import { NO_ORGANIZATION, linksFor, requestedSubdomain, type LinkTo } from "./tenant.server";

export interface Access {
  db: Db;
  organization: OrganizationSummary;
  organizationId: string;
  user: SessionUser | null;
  membership: { id: string; roleId: string; roleName: string } | null;
  /** The member's unread notifications here, for the header's badge (counted for GET requests only; else 0). */
  unreadNotifications: number;
  permissions: ReadonlySet<string>;
  isAdmin: boolean;
  can(permission: PermissionName): boolean;
  /** The client's address (for the audit log), as the server sees it; null when unknown. */
  ipAddress: string | null;
  /** Absolute links on this request's public origin, for e-mails that use cases queue (linksFor). */
  links: LinkTo;
}

export type MemberAccess = Access & { user: SessionUser; membership: NonNullable<Access["membership"]> };

interface Args {
  request: Request;
  context: AppLoadContext;
}

// Keyed by the request's memo object from the load context: Remix hands every loader of one request its own copy
// of the Request, so a Request key missed and the org/session/membership lookups ran once per loader.
const cache = new WeakMap<object, Promise<Access>>();

/** Resolves organization, user, membership and the effective permissions of this request (memoised per request). */
export function getAccess({ request, context }: Args): Promise<Access> {
  // Actions keep their own key, so loaders that render after an action (no-JS form posts) read fresh access.
  const reading = request.method === "GET" || request.method === "HEAD";
  const key = (reading && context?.requestMemo) || request;
  let pending = cache.get(key);
  if (!pending) {
    pending = resolveAccess(getDb(context), request, context?.clientIp ?? null);
    cache.set(key, pending);
  }
  return pending;
}

/**
 * What any visitor without a session may see here, whoever is asking: for answers that are cached publicly or read
 * from other sites (/status.json), which must never carry a member's view.
 */
export function getVisitorAccess({ request, context }: Args): Promise<Access> {
  return resolveAccess(getDb(context), request, context?.clientIp ?? null, { asVisitor: true });
}

async function resolveAccess(
  db: Db,
  request: Request,
  ipAddress: string | null,
  opts: { asVisitor?: boolean } = {},
): Promise<Access> {
  const subdomain = requestedSubdomain(request);
  // The header's unread badge is shown by pages (GET); a form post needs no count.
  const withUnread = request.method === "GET";
  const read = (sessionToken: string | null) =>
    loadRequestAccess(db, { subdomain, sessionToken, visitorRoleName: "Unauthenticated", withUnread });
  let found = await read(opts.asVisitor ? null : await requestSessionToken(request));
  if (!found) notFound(NO_ORGANIZATION);
  const user = found.session ? await sessionUserOf(db, found.session) : null;
  // An expired session was just deleted: the request is anonymous, with the visitors' role (read once more).
  if (found.session && !user) found = (await read(null)) ?? notFound(NO_ORGANIZATION);
  const { organization, member, visitorRole } = found;
  let granted: string[];
  let isAdmin = false;
  if (member) {
    // The Admin system role passes every check, as in the original.
    isAdmin = member.isSystem && member.roleName === "Admin";
    granted = isAdmin ? [...ALL_PERMISSION_NAMES] : expandPermissions(member.permissions);
  } else {
    // Anonymous visitors, and signed-in people who are not members here, act with the Unauthenticated role, cut
    // down to the public permissions: a management permission stored on that role must not reach strangers.
    granted = expandPermissions(visitorRole ? visitorRole.permissions : [...UNAUTHENTICATED_PERMISSIONS]).filter(
      isPublicPermission,
    );
  }
  const permissions = new Set(granted);
  return {
    db,
    organization,
    organizationId: organization.id,
    user,
    membership: member ? { id: member.membershipId, roleId: member.roleId, roleName: member.roleName } : null,
    unreadNotifications: found.unread,
    permissions,
    isAdmin,
    can: (p) => permissions.has(p),
    ipAddress,
    links: linksFor(request),
  };
}

function signInRedirect(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * Allows the request when the visitor holds `permission`. Otherwise: anonymous visitors are sent to sign in,
 * signed-in visitors get 403. The message names no permission (thrown bodies reach the client verbatim).
 */
export async function requirePermission(args: Args, permission: PermissionName): Promise<Access> {
  const access = await getAccess(args);
  if (access.can(permission)) return access;
  if (!access.user) signInRedirect(args.request);
  forbidden();
}

/**
 * Allows the request when the visitor holds at least one of `permissions` (e.g. the role list, which
 * `role:manage` or `organization:manage` may see). Denials as in requirePermission.
 */
export async function requireAnyPermission(args: Args, permissions: readonly PermissionName[]): Promise<Access> {
  const access = await getAccess(args);
  if (permissions.some((p) => access.can(p))) return access;
  if (!access.user) signInRedirect(args.request);
  forbidden();
}

/** For member-only work (notifications, profile in this organization, member pickers). */
export async function requireMember(args: Args, permission?: PermissionName): Promise<MemberAccess> {
  const access = await getAccess(args);
  if (!access.user) signInRedirect(args.request);
  if (!access.membership) forbidden("You are not a member of this organization.");
  if (permission && !access.can(permission)) forbidden();
  return access as MemberAccess;
}

/** For pages that only need a signed-in user (account settings), whatever the organization. */
export async function requireUser(args: Args): Promise<Access & { user: SessionUser }> {
  const access = await getAccess(args);
  if (!access.user) signInRedirect(args.request);
  return access as Access & { user: SessionUser };
}
