/**
 * The frame around every page: the header's organization, the signed-in person, their unread notifications here and
 * which sections the navigation offers; and the admin hub (/admin), which lists the admin sections the actor may open.
 */
import type { PermissionName } from "../../core/permissions";
import { requireCan, type Actor } from "./actor";

/** Who may open the admin hub at all: the same permissions that show the "Admin" link in the header. */
export const ADMIN_HUB_PERMISSIONS: readonly PermissionName[] = ["organization:manage", "user:manage", "role:manage"];

/**
 * The root layout's data (app/root.tsx). The unread count comes with the request's access, read in the same
 * statement as the membership (db/queries/access.server.ts loadRequestAccess).
 */
export function loadShell(actor: Actor & { unreadNotifications: number }) {
  const { user } = actor;
  return {
    organization: { name: actor.organization.name, subdomain: actor.organization.subdomain },
    user: user ? { name: user.name, email: user.email } : null,
    roleName: actor.membership?.roleName ?? null,
    // this organization's only, and only for its members (0 for anyone else: db/queries/access.server.ts): the badge
    // links to /notifications, which lists this organization's notifications to its members
    unread: actor.unreadNotifications,
    nav: {
      issues: actor.can("issue:view"),
      // /insights is for members (app/routes/insights.tsx)
      insights: Boolean(actor.membership) && actor.can("issue:view"),
      machines: actor.can("machine:view"),
      locations: actor.can("location:view"),
      admin: ADMIN_HUB_PERMISSIONS.some((p) => actor.can(p)),
    },
  };
}

interface AdminSection {
  to: string;
  title: string;
  description: string;
  /** Shown when the actor holds any of these. */
  anyOf: readonly PermissionName[];
}

const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    to: "/admin/organization",
    title: "Organization",
    description: "Time zone and date format.",
    anyOf: ["organization:manage"],
  },
  {
    to: "/admin/members",
    title: "Members",
    description: "Invite people, change their roles, remove members.",
    anyOf: ["user:manage"],
  },
  {
    to: "/admin/outbox",
    title: "E-mail outbox",
    description: "The organization's e-mails: what was sent, what waits, and their links.",
    anyOf: ["user:manage"],
  },
  {
    to: "/admin/roles",
    title: "Roles & permissions",
    description: "Create roles and choose what each role may do.",
    anyOf: ["role:manage", "organization:manage"],
  },
  {
    to: "/admin/statuses",
    title: "Statuses",
    description: "The workflow states an issue moves through.",
    anyOf: ["organization:manage"],
  },
  {
    to: "/admin/priorities",
    title: "Priorities",
    description: "How urgent an issue is, and the default.",
    anyOf: ["organization:manage"],
  },
  {
    to: "/admin/collections",
    title: "Collections",
    description: "Group machines by room, manufacturer or era.",
    anyOf: ["organization:manage", "location:edit"],
  },
  {
    to: "/admin/pinballmap",
    title: "Pinball Map",
    description: "Sync machines with pinballmap.com.",
    anyOf: ["organization:manage"],
  },
  {
    to: "/admin/qr-codes",
    title: "QR codes",
    description: "Print the codes that take players to the report form.",
    anyOf: ["organization:manage"],
  },
];

/** The admin hub: the sections the actor may open. */
export async function loadAdminHub(actor: Actor) {
  requireCan(actor, ...ADMIN_HUB_PERMISSIONS);
  return {
    organizationName: actor.organization.name,
    sections: ADMIN_SECTIONS.filter((s) => s.anyOf.some((p) => actor.can(p))).map(({ to, title, description }) => ({
      to,
      title,
      description,
    })),
  };
}
