/**
 * migrations/0014_floor_presence_maintenance_watchers.sql on a database that already has organizations and roles:
 * the new permission machine:maintain exists afterwards (with the seed's id and the catalogue's description), and
 * exactly the roles that held machine:edit, issue:edit or issue:bulk_manage got it; visitors' role never does.
 * Re-seeding afterwards changes nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSION_DESCRIPTIONS } from "../../core/permissions";
import { migrationsFolder, type Db } from "../../db/client.server";
import { createRole } from "../../db/queries/roles.server";
import { permissions } from "../../db/schema";
import { seedDatabase, seedId } from "../../db/seed.server";
import { applyMigrations, withStartupLock } from "../../db/startup-lock.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf } from "../helpers/fixtures";
import { migrationsUpTo, rawRows, runMigrations, withLaterColumns } from "../helpers/migrations";

const rows = <T>(query: string) => rawRows<T>(db, query);

const BEFORE = "0013_organization_time_zone";

let t: TestDb;
let db: Db;

/** Role name → whether it holds machine:maintain, in organization `apc`. */
async function holders(): Promise<Record<string, boolean>> {
  const list = await rows<{ name: string; has: boolean }>(`
    select r.name, exists (
      select 1 from "_RolePermissions" rp join "Permission" p on p.id = rp."A"
      where rp."B" = r.id and p.name = 'machine:maintain'
    ) as has
    from "Role" r join "Organization" o on o.id = r."organizationId" where o.subdomain = 'apc' order by r.name`);
  return Object.fromEntries(list.map((r) => [r.name, Boolean(r.has)]));
}

beforeAll(async () => {
  t = await createTestDb({ migrate: false });
  db = t.db;
  const upTo = migrationsUpTo(BEFORE);
  await runMigrations(t, upTo.folder);
  upTo.remove();
  await withLaterColumns(db, async () => {
    await seedDatabase(db, { demo: false });
    // A database from before the permission existed: no row, so no role holds it.
    await db.delete(permissions).where(eq(permissions.name, "machine:maintain"));
    const apc = await orgIdOf(db, "apc");
    await createRole(db, apc, { name: "Techs", isDefault: false, permissions: ["machine:view", "machine:edit"] });
    await createRole(db, apc, { name: "Triage", isDefault: false, permissions: ["issue:bulk_manage"] });
    await createRole(db, apc, {
      name: "Viewers",
      isDefault: false,
      permissions: ["issue:view", "machine:view", "issue:create"],
    });
  });
  expect(Object.values(await holders()).some(Boolean)).toBe(false);
  expect(await withStartupLock(db, (tx) => applyMigrations(tx, migrationsFolder))).toBeGreaterThanOrEqual(1);
});

afterAll(async () => {
  await t?.close();
});

describe("machine:maintain in existing roles", () => {
  it("exists with the seed's id and the catalogue's description", async () => {
    const found = await db.select().from(permissions).where(eq(permissions.name, "machine:maintain"));
    expect(found).toEqual([
      {
        id: seedId("permission:machine:maintain"),
        name: "machine:maintain",
        description: PERMISSION_DESCRIPTIONS["machine:maintain"],
      },
    ]);
  });

  it("goes to the roles holding machine:edit, issue:edit or issue:bulk_manage, and to no other", async () => {
    expect(await holders()).toEqual({
      Admin: true,
      Member: true,
      Techs: true,
      Triage: true,
      Unauthenticated: false,
      Viewers: false,
    });
  });

  it("a later seed adds nothing twice", async () => {
    await seedDatabase(db, { demo: false });
    expect(await db.select().from(permissions).where(eq(permissions.name, "machine:maintain"))).toHaveLength(1);
    expect(Object.values(await holders()).filter(Boolean)).toHaveLength(4);
  });
});
