/** Who may do what: membership + role + permissions of a user in one organization, in one query. */
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { memberships, organizations, permissions, rolePermissions, roles } from "../schema";
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

// Asked on every request of a signed-in visitor (app/lib/access.server.ts).
const memberAccessQuery = reusableQuery("member_access", (db, name) =>
  db
    .select({
      membershipId: memberships.id,
      roleId: roles.id,
      roleName: roles.name,
      isSystem: roles.isSystem,
      permission: permissions.name,
    })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .leftJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(
      and(
        eq(memberships.userId, sql.placeholder("userId")),
        eq(memberships.organizationId, sql.placeholder("organizationId")),
      ),
    )
    .prepare(name),
);

export async function loadMemberAccess(
  db: DbOrTx,
  userId: string,
  organizationId: string,
): Promise<MemberAccess | null> {
  const rows = await memberAccessQuery(db).execute({ userId, organizationId });
  const access = memberAccessOf(rows);
  if (validationEnabled()) await checkMemberAccess(db, userId, organizationId, access);
  return access;
}

/** A role's rows, as the access statements read them: one per permission of the role (one with none). */
type RoleRow = { roleId: string | null; roleName: string | null; isSystem: boolean | null; permission: string | null };

/** The role of those rows with its permissions; null when no role was found (no rows, or a left join's nulls). */
function roleAccessOf(rows: readonly RoleRow[]): RoleAccess | null {
  const [first] = rows;
  if (!first?.roleId) return null;
  return {
    roleId: first.roleId,
    roleName: first.roleName ?? "",
    isSystem: first.isSystem ?? false,
    permissions: rows.map((r) => r.permission).filter((p): p is string => Boolean(p)),
  };
}

/** A membership's rows as one access; null without a membership. */
function memberAccessOf(rows: readonly (RoleRow & { membershipId: string | null })[]): MemberAccess | null {
  const membershipId = rows[0]?.membershipId;
  const role = roleAccessOf(rows);
  return membershipId && role ? { membershipId, ...role } : null;
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

// A signed-in person's request needs the organization and their membership in it: one statement instead of two.
const organizationWithMemberQuery = reusableQuery("organization_with_member", (db, name) =>
  db
    .select({
      organization: organizationSummaryColumns,
      membershipId: memberships.id,
      roleId: roles.id,
      roleName: roles.name,
      isSystem: roles.isSystem,
      permission: permissions.name,
    })
    .from(organizations)
    .leftJoin(
      memberships,
      and(eq(memberships.organizationId, organizations.id), eq(memberships.userId, sql.placeholder("userId"))),
    )
    .leftJoin(roles, eq(roles.id, memberships.roleId))
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .leftJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(eq(organizations.subdomain, sql.placeholder("subdomain")))
    .prepare(name),
);

/** The organization with this subdomain and the user's membership in it (null when none); null without one. */
export async function loadOrganizationWithMember(
  db: DbOrTx,
  subdomain: string,
  userId: string,
): Promise<{ organization: OrganizationSummary; member: MemberAccess | null } | null> {
  const rows = await organizationWithMemberQuery(db).execute({ subdomain, userId });
  if (rows.length === 0) return null;
  const { organization } = rows[0];
  const member = memberAccessOf(rows);
  if (validationEnabled()) await checkMemberAccess(db, userId, organization.id, member);
  return { organization, member };
}

// Asked on every request of an anonymous visitor (the Unauthenticated role).
const roleAccessByNameQuery = reusableQuery("role_access_by_name", (db, name) =>
  db
    .select({ roleId: roles.id, roleName: roles.name, isSystem: roles.isSystem, permission: permissions.name })
    .from(roles)
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .leftJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(
      and(eq(roles.organizationId, sql.placeholder("organizationId")), eq(roles.name, sql.placeholder("roleName"))),
    )
    .prepare(name),
);

/** Permissions of an organization's role by name (used for the Unauthenticated role of anonymous visitors). */
export async function loadRoleAccessByName(
  db: DbOrTx,
  organizationId: string,
  roleName: string,
): Promise<RoleAccess | null> {
  return roleAccessOf(await roleAccessByNameQuery(db).execute({ organizationId, roleName }));
}

// A visitor without a session (every QR scan and public page) needs the organization and its Unauthenticated role:
// one statement instead of two.
const organizationWithRoleQuery = reusableQuery("organization_with_role", (db, name) =>
  db
    .select({
      organization: organizationSummaryColumns,
      roleId: roles.id,
      roleName: roles.name,
      isSystem: roles.isSystem,
      permission: permissions.name,
    })
    .from(organizations)
    .leftJoin(roles, and(eq(roles.organizationId, organizations.id), eq(roles.name, sql.placeholder("roleName"))))
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .leftJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(eq(organizations.subdomain, sql.placeholder("subdomain")))
    .prepare(name),
);

/** The organization with this subdomain and its role named `roleName` (null when it has none); null when no organization has it. */
export async function loadOrganizationWithRole(
  db: DbOrTx,
  subdomain: string,
  roleName: string,
): Promise<{ organization: OrganizationSummary; role: RoleAccess | null } | null> {
  const rows = await organizationWithRoleQuery(db).execute({ subdomain, roleName });
  if (rows.length === 0) return null;
  const [first] = rows;
  return { organization: first.organization, role: roleAccessOf(rows) };
}
