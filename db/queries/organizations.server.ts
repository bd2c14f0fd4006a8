import { eq } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { organizations } from "../schema";

export interface OrganizationSummary {
  id: string;
  name: string;
  subdomain: string;
  logoUrl: string | null;
}

export async function findOrganizationBySubdomain(db: DbOrTx, subdomain: string): Promise<OrganizationSummary | null> {
  const [row] = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      subdomain: organizations.subdomain,
      logoUrl: organizations.logoUrl,
    })
    .from(organizations)
    .where(eq(organizations.subdomain, subdomain))
    .limit(1);
  return row ?? null;
}

/** Every organization's id, for operator commands that work through all of them (`npm run photos:reencode`). */
export async function listOrganizationIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ id: organizations.id }).from(organizations).orderBy(organizations.id);
  return rows.map((r) => r.id);
}
