/**
 * Actors for calling use cases (app/use-cases) directly, without HTTP: who acts in an organization and with which
 * permissions. Routes get theirs from requirePermission; tests of the use cases themselves build one here.
 */
import { eq } from "drizzle-orm";
import { ALL_PERMISSION_NAMES, type PermissionName } from "../../core/permissions";
import type { Db } from "../../db/client.server";
import { organizationSummaryColumns } from "../../db/queries/organizations.server";
import { organizations } from "../../db/schema";
import type { Actor } from "~/use-cases/actor";

/** An actor of the organization holding `permissions` (default: all of them, like its Admin); no user, no membership. */
export async function actorFor(
  db: Db,
  organizationId: string,
  permissions: readonly PermissionName[] = ALL_PERMISSION_NAMES,
): Promise<Actor> {
  const [organization] = await db
    .select(organizationSummaryColumns)
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) throw new Error(`no organization ${organizationId}`);
  const granted = new Set<string>(permissions);
  return {
    db,
    organization,
    organizationId,
    user: null,
    membership: null,
    permissions: granted,
    isAdmin: false,
    can: (p) => granted.has(p),
    ipAddress: null,
    links: (pathname) => new URL(pathname, `http://${organization.subdomain}.localhost`).toString(),
  };
}
