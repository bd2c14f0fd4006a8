/**
 * The permission catalogue (22 `resource:action` strings), their dependencies, and the built-in role sets.
 * Pure data + functions, no database: used by the seed, the access checker and the UI.
 */

export const PERMISSIONS = [
  { name: "issue:view", description: "View issues and their details" },
  { name: "issue:create", description: "Report new issues and add comments" },
  { name: "issue:edit", description: "Edit issues (title, description, status), close them and edit own comments" },
  { name: "issue:delete", description: "Delete issues and other people's comments" },
  { name: "issue:assign", description: "Assign issues to members" },
  { name: "issue:bulk_manage", description: "Bulk operations on issues" },
  { name: "machine:view", description: "View machines" },
  { name: "machine:create", description: "Add machines" },
  { name: "machine:edit", description: "Edit machines, their owner and location, and (re)generate QR codes" },
  { name: "machine:delete", description: "Remove machines" },
  { name: "machine:maintain", description: "Add maintenance notes to machines and edit or delete their own" },
  { name: "location:view", description: "View locations" },
  { name: "location:create", description: "Create locations" },
  { name: "location:edit", description: "Edit locations and manage manual collections" },
  { name: "location:delete", description: "Delete locations" },
  { name: "attachment:view", description: "View and download attachments" },
  { name: "attachment:create", description: "Upload attachments" },
  { name: "attachment:delete", description: "Delete attachments" },
  {
    name: "organization:manage",
    description: "Manage organization settings, statuses, priorities, integrations and deleted comments",
  },
  { name: "role:manage", description: "Create, edit and delete roles" },
  { name: "user:manage", description: "Invite and remove members and change their roles" },
  { name: "admin:view_analytics", description: "View analytics" },
] as const;

export type PermissionName = (typeof PERMISSIONS)[number]["name"];

/** All 22 names, in catalogue order. */
export const ALL_PERMISSION_NAMES: readonly PermissionName[] = PERMISSIONS.map((p) => p.name);

/** name → description. */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<PermissionName, string>> = Object.fromEntries(
  PERMISSIONS.map((p) => [p.name, p.description]),
) as Record<PermissionName, string>;

export function isPermissionName(value: string): value is PermissionName {
  return (ALL_PERMISSION_NAMES as readonly string[]).includes(value);
}

/** Granting a key implies its listed permissions (expanded one level, not transitively). */
export const PERMISSION_DEPENDENCIES: Readonly<Partial<Record<PermissionName, readonly PermissionName[]>>> = {
  "issue:edit": ["issue:view"],
  "issue:delete": ["issue:view"],
  "issue:assign": ["issue:view"],
  "issue:bulk_manage": ["issue:view", "issue:edit"],
  "machine:edit": ["machine:view"],
  "machine:delete": ["machine:view"],
  "machine:maintain": ["machine:view"],
  "location:edit": ["location:view"],
  "location:delete": ["location:view"],
  "attachment:delete": ["attachment:view"],
};

/**
 * The given permissions plus their direct dependencies: originals first in their order, then each added dependency
 * once, in order of first need. Duplicates are removed; unknown names pass through unchanged.
 */
export function expandPermissions(names: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (n: string) => {
    if (!seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  };
  for (const n of names) add(n);
  for (const n of names) {
    const deps = PERMISSION_DEPENDENCIES[n as PermissionName];
    if (deps) for (const d of deps) add(d);
  }
  return out;
}

/**
 * The only permissions a visitor who is not a member (anonymous, or signed in elsewhere) may ever hold: viewing and
 * reporting. The role editor offers only these for the Unauthenticated role, its action refuses others, and the
 * access resolver (app/lib/access.server.ts) intersects a visitor's permissions with this list, so a row already in
 * the database cannot give visitors more.
 */
export const PUBLIC_PERMISSIONS: readonly PermissionName[] = [
  "issue:view",
  "issue:create",
  "machine:view",
  "location:view",
  "attachment:view",
  "attachment:create",
];

export function isPublicPermission(name: string): boolean {
  return (PUBLIC_PERMISSIONS as readonly string[]).includes(name);
}

/** What a visitor without a session may do (the "Unauthenticated" system role's initial set, and the fallback). */
export const UNAUTHENTICATED_PERMISSIONS: readonly PermissionName[] = PUBLIC_PERMISSIONS;

/** Permissions that manage access itself: only Admins give, edit or take away roles that hold them. */
export const ACCESS_MANAGEMENT_PERMISSIONS: readonly PermissionName[] = ["role:manage", "user:manage"];

export interface RoleTemplate {
  name: string;
  description: string;
  permissions: readonly PermissionName[];
}

/** Role templates an organization can create roles from. Only MEMBER exists. */
export const ROLE_TEMPLATES = {
  MEMBER: {
    name: "Member",
    description: "Ordinary member with basic rights: report, edit, assign and triage issues",
    permissions: [
      "issue:view",
      "issue:create",
      "issue:edit",
      "issue:delete",
      "issue:assign",
      "machine:view",
      "machine:maintain",
      "location:view",
      "attachment:view",
      "attachment:create",
    ],
  },
} as const satisfies Record<string, RoleTemplate>;

export type RoleTemplateKey = keyof typeof ROLE_TEMPLATES;

export const MEMBER_PERMISSIONS: readonly PermissionName[] = ROLE_TEMPLATES.MEMBER.permissions;

/** Names of the built-in roles. */
export const SYSTEM_ROLES = { ADMIN: "Admin", UNAUTHENTICATED: "Unauthenticated" } as const;
