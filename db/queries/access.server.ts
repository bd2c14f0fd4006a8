/**
 * Who may do what: the organization a request is for, who is signed in, their membership and role with its
 * permissions, in one statement per request (docs/decisions/047-one-statement-per-page-part.md).
 */
import { and, eq, sql, type AnyColumn } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkUnreadCount } from "../reference/notifications.server";
import {
  memberships,
  notifications,
  organizations,
  permissions,
  rolePermissions,
  roles,
  sessions,
  users,
} from "../schema";
import { organizationSummaryColumns, type OrganizationSummary } from "./organizations.server";
import { reusableQuery } from "../reusable-query.server";
import { crossCheck, validationEnabled } from "../validate.server";

export interface RoleAccess {
  roleId: string;
  roleName: string;
  isSystem: boolean;
  /** Permission names granted directly to the role (not yet expanded with dependencies). */
  permissions: string[];
}

export interface MemberAccess extends RoleAccess {
  membershipId: string;
}

/** The names of the permissions granted directly to the role whose id is `roleId` (a column), as a JSON array. */
function rolePermissionNames(roleId: AnyColumn) {
  return sql<string[]>`(select coalesce(json_agg(${permissions.name}), '[]'::json) from ${rolePermissions}
    join ${permissions} on ${permissions.id} = ${rolePermissions.permissionId} where ${rolePermissions.roleId} = ${roleId})`;
}

// A person's membership of an organization without a request (tests/helpers/issue-actors.ts builds actors with it).
const memberAccessQuery = reusableQuery("member_access", (db, name) =>
  db
    .select({
      membershipId: memberships.id,
      roleId: roles.id,
      roleName: roles.name,
      isSystem: roles.isSystem,
      permissions: rolePermissionNames(roles.id),
    })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(
      and(
        eq(memberships.userId, sql.placeholder("userId")),
        eq(memberships.organizationId, sql.placeholder("organizationId")),
      ),
    )
    .limit(1)
    .prepare(name),
);

export async function loadMemberAccess(
  db: DbOrTx,
  userId: string,
  organizationId: string,
): Promise<MemberAccess | null> {
  const [access = null] = await memberAccessQuery(db).execute({ userId, organizationId });
  if (validationEnabled()) await checkMemberAccess(db, userId, organizationId, access);
  return access;
}

/** DB_VALIDATE: the role and permissions found match a plain reading of the tables. */
async function checkMemberAccess(db: DbOrTx, userId: string, organizationId: string, access: MemberAccess | null) {
  await crossCheck(
    db,
    "permission check",
    access ? { roleId: access.roleId, permissions: [...access.permissions].sort() } : null,
    sql`select m."roleId" as "roleId", p.name as permission
        from "Membership" m
        left join "_RolePermissions" rp on rp."B" = m."roleId"
        left join "Permission" p on p.id = rp."A"
        where m."userId" = ${userId} and m."organizationId" = ${organizationId}`,
    (ref) =>
      ref.length
        ? {
            roleId: ref[0].roleId,
            permissions: ref
              .map((r) => r.permission)
              .filter(Boolean)
              .map(String)
              .sort(),
          }
        : null,
  );
}

// Every request: the organization of the host; the session of the cookie (if any) with its user; their membership
// here; the membership's role, or the organization's visitors' role (visitorRoleName) for anyone who is not a member;
// and for members, when asked, how many of their notifications here are unread (the header's badge).
const requestAccessQuery = reusableQuery("request_access", (db, name) =>
  db
    .select({
      organization: organizationSummaryColumns,
      sessionId: sessions.id,
      expires: sessions.expires,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      userName: users.name,
      userEmail: users.email,
      membershipId: memberships.id,
      roleId: roles.id,
      roleName: roles.name,
      isSystem: roles.isSystem,
      permissions: rolePermissionNames(roles.id),
      unread: sql<number>`case when ${memberships.id} is not null and ${sql.placeholder("withUnread")}::boolean
        then (select count(*)::int from ${notifications} where ${notifications.userId} = ${users.id}
          and ${notifications.organizationId} = ${organizations.id} and ${notifications.read} = false)
        else 0 end`,
    })
    .from(organizations)
    .leftJoin(sessions, eq(sessions.sessionToken, sql.placeholder("sessionToken")))
    .leftJoin(users, eq(users.id, sessions.userId))
    .leftJoin(memberships, and(eq(memberships.organizationId, organizations.id), eq(memberships.userId, users.id)))
    .leftJoin(
      roles,
      eq(
        roles.id,
        sql`coalesce(${memberships.roleId}, (select "visitorRole"."id" from ${roles} "visitorRole"
          where "visitorRole"."organizationId" = ${organizations.id} and "visitorRole"."name" = ${sql.placeholder("visitorRoleName")}))`,
      ),
    )
    .where(eq(organizations.subdomain, sql.placeholder("subdomain")))
    .limit(1)
    .prepare(name),
);

/** A session row with its user, as stored (app/lib/session.server.ts sessionUserOf checks its expiry). */
export interface StoredSession {
  id: string;
  expires: Date;
  lastSeenAt: Date;
  user: { id: string; name: string | null; email: string | null };
}

export interface RequestAccess {
  organization: OrganizationSummary;
  /** The cookie's session with its user; null without one. */
  session: StoredSession | null;
  /** The user's membership here with its role; null for anyone who is not a member. */
  member: MemberAccess | null;
  /** The visitors' role (null when the organization has none) for anyone who is not a member; null for members. */
  visitorRole: RoleAccess | null;
  /** Unread notifications of a member here (0 unless asked for, and for non-members). */
  unread: number;
}

/**
 * The access of a request to the organization with this subdomain; null when no organization has it. `sessionToken`
 * is the stored (hashed) token of the request's cookie, null without one.
 */
export async function loadRequestAccess(
  db: DbOrTx,
  input: { subdomain: string; sessionToken: string | null; visitorRoleName: string; withUnread: boolean },
): Promise<RequestAccess | null> {
  const [row] = await requestAccessQuery(db).execute(input);
  if (!row) return null;
  const role: RoleAccess | null = row.roleId
    ? {
        roleId: row.roleId,
        roleName: row.roleName ?? "",
        isSystem: row.isSystem ?? false,
        permissions: row.permissions,
      }
    : null;
  const session =
    row.sessionId && row.userId && row.expires && row.lastSeenAt
      ? {
          id: row.sessionId,
          expires: row.expires,
          lastSeenAt: row.lastSeenAt,
          user: { id: row.userId, name: row.userName, email: row.userEmail },
        }
      : null;
  const member = row.membershipId && role ? { membershipId: row.membershipId, ...role } : null;
  const access: RequestAccess = {
    organization: row.organization,
    session,
    member,
    visitorRole: member ? null : role,
    unread: row.unread,
  };
  if (validationEnabled() && session) {
    await checkMemberAccess(db, session.user.id, row.organization.id, member);
    if (member && input.withUnread) await checkUnreadCount(db, session.user.id, row.organization.id, access.unread);
  }
  return access;
}
