import { eq } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { organizations } from "../schema";

export interface OrganizationSummary {
  id: string;
  name: string;
  subdomain: string;
  logoUrl: string | null;
  /** IANA time zone and locale of its dates (app/lib/format.ts dateFormatterFor). */
  timeZone: string;
  locale: string;
}

/** The columns of an OrganizationSummary, for every query that reads one. */
export const organizationSummaryColumns = {
  id: organizations.id,
  name: organizations.name,
  subdomain: organizations.subdomain,
  logoUrl: organizations.logoUrl,
  timeZone: organizations.timeZone,
  locale: organizations.locale,
};

/** Every organization's id, for operator commands that work through all of them (`npm run photos:reencode`). */
export async function listOrganizationIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ id: organizations.id }).from(organizations).orderBy(organizations.id);
  return rows.map((r) => r.id);
}

/** The time zones organizations use (each once): the daily digest runs per zone (server/mail/digest.ts). */
export async function listOrganizationTimeZones(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ timeZone: organizations.timeZone }).from(organizations);
  return rows.map((r) => r.timeZone);
}

/** Sets the organization's time zone and locale. */
export async function updateOrganizationDateSettings(
  db: DbOrTx,
  organizationId: string,
  settings: { timeZone: string; locale: string },
): Promise<void> {
  await db
    .update(organizations)
    .set({ timeZone: settings.timeZone, locale: settings.locale })
    .where(eq(organizations.id, organizationId));
}
