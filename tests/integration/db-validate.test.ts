/**
 * DB_VALIDATE=1 (development only): the issue list, the QR lookup and the permission check run a hand-written
 * reference query beside the Drizzle query and log differences. On a seeded database they agree; a deliberately
 * wrong reference is reported.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadMemberAccess } from "../../db/queries/access.server";
import { listIssues } from "../../db/queries/issues.server";
import { findMachineByQrCode } from "../../db/queries/qr.server";
import { machines, organizations, users } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { crossCheck, setValidationLogger, validationEnabled } from "../../db/validate.server";
import { createTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
let orgId: string;
const messages: string[] = [];
let restoreLogger: () => void;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  const [org] = await t.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.subdomain, "apc"));
  orgId = org.id;
  restoreLogger = setValidationLogger((message) => messages.push(message));
});
afterAll(async () => {
  restoreLogger();
  await t.close();
});
afterEach(() => {
  delete process.env.DB_VALIDATE;
  messages.length = 0;
});

describe("DB_VALIDATE cross-checks", () => {
  it("is off unless DB_VALIDATE=1 outside production", () => {
    expect(validationEnabled()).toBe(false);
    process.env.DB_VALIDATE = "1";
    expect(validationEnabled()).toBe(true);
  });

  it("finds no difference on the key reads of a seeded database", async () => {
    process.env.DB_VALIDATE = "1";
    await listIssues(t.db, { organizationId: orgId, filters: {}, sort: "created", dir: "desc" });
    await listIssues(t.db, {
      organizationId: orgId,
      filters: { category: "all", q: "flipper" },
      sort: "updated",
      dir: "asc",
    });
    await listIssues(t.db, {
      organizationId: orgId,
      filters: { assigneeId: "unassigned", reporterId: "anonymous" },
      sort: "created",
      dir: "asc",
    });
    const [machine] = await t.db
      .select({ qr: machines.qrCodeId })
      .from(machines)
      .where(eq(machines.organizationId, orgId))
      .limit(1);
    expect(await findMachineByQrCode(t.db, orgId, machine.qr)).not.toBeNull();
    expect(await findMachineByQrCode(t.db, orgId, "no-such-code")).toBeNull();
    const [admin] = await t.db.select({ id: users.id }).from(users).where(eq(users.email, "member@dev.local"));
    expect(await loadMemberAccess(t.db, admin.id, orgId)).not.toBeNull();
    expect(messages).toEqual([]);
  });

  it("reports a reference that disagrees", async () => {
    const ok = await crossCheck(t.db, "probe", [1, 2], sql`select 1 as n`, (rows) => rows.map((r) => Number(r.n)));
    expect(ok).toBe(false);
    expect(messages).toEqual(["probe: Drizzle and reference SQL disagree"]);
  });
});
