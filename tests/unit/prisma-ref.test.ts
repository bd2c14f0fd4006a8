import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { PRISMA_REF_PATH, generatePrismaSchema } from "../../scripts/prisma-ref";

describe("db/prisma/schema.prisma (generated Prisma reference)", () => {
  const generated = generatePrismaSchema();

  it("is up to date with the Drizzle schema (run `npm run db:prisma-ref` when this fails)", () => {
    expect(fs.readFileSync(PRISMA_REF_PATH, "utf8")).toBe(generated);
  });

  it("is deterministic", () => {
    expect(generatePrismaSchema()).toBe(generated);
  });

  it("says it is generated and not used at run time", () => {
    expect(generated.split("\n")[0]).toMatch(/GENERATED/);
    expect(generated).toMatch(/Not used at run time/);
  });

  it("has every model and enum of the original plus our additions", () => {
    const models = [...generated.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
    expect(models).toEqual([
      "Account",
      "Attachment",
      "AuditLog",
      "Collection",
      "CollectionType",
      "Comment",
      "IdempotencyKey",
      "Invitation",
      "Issue",
      "IssueHistory",
      "IssueMerge",
      "IssueStatus",
      "IssueSubscriber",
      "Location",
      "Machine",
      "MachinePresenceChange",
      "MailOutbox",
      "MaintenanceNote",
      "MaintenancePhoto",
      "Membership",
      "Model",
      "Notification",
      "Organization",
      "Password",
      "PasswordResetToken",
      "Permission",
      "PinballMapConfig",
      "Priority",
      "RateLimitCounter",
      "Role",
      "Session",
      "Upvote",
      "User",
      "VerificationToken",
      "Watch",
    ]);
    const enums = [...generated.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]);
    expect(enums).toEqual([
      "ActivityType",
      "MailStatus",
      "NotificationEntity",
      "NotificationFrequency",
      "NotificationType",
      "StatusCategory",
    ]);
    expect(generated).toMatch(/enum NotificationFrequency \{\n  IMMEDIATE\n  DAILY\n  WEEKLY\n  DISABLED\n\}/);
  });

  it("renders the implicit many-to-many relations like the original", () => {
    expect(generated).toMatch(/permissions +Permission\[\] +@relation\("RolePermissions"\)/);
    expect(generated).toMatch(/roles +Role\[\] +@relation\("RolePermissions"\)/);
    expect(generated).toMatch(/collections +Collection\[\]\n/);
    expect(generated).toMatch(/machines +Machine\[\]\n/);
  });

  it("keeps the Prisma delete rules", () => {
    expect(generated).toMatch(/role +Role +@relation\(fields: \[roleId\], references: \[id\], onDelete: Restrict\)/);
    expect(generated).toMatch(/owner +User\? +@relation\(fields: \[ownerId\], references: \[id\], onDelete: SetNull\)/);
    expect(generated).toMatch(
      /author +User +@relation\("CommentAuthor", fields: \[authorId\], references: \[id\], onDelete: Restrict\)/,
    );
  });
});

describe("db/prisma/schema.prisma and the real Prisma CLI (offline)", () => {
  const prisma = path.resolve(import.meta.dirname, "..", "..", "node_modules", ".bin", "prisma");
  // The CLI downloads its native engines before every command, although validate and format run on the WebAssembly
  // schema engine bundled with it. Pointing the engine variables at a placeholder file skips the download (no
  // network here); the placeholder is never executed.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-ref-"));
  const placeholder = path.join(dir, "no-native-engine");
  fs.writeFileSync(placeholder, "");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
    PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    // validate resolves env("DATABASE_URL") of the datasource; nothing connects to it.
    DATABASE_URL: "postgresql://nobody@localhost:5432/none",
  };
  const run = (...args: string[]) =>
    promisify(execFile)(prisma, [...args, "--schema", PRISMA_REF_PATH], { env, timeout: 60_000 });

  it("passes prisma validate", { timeout: 60_000 }, async () => {
    const { stdout } = await run("validate");
    expect(stdout).toMatch(/is valid/);
  });

  it("is in prisma format's canonical form (prisma format --check)", { timeout: 60_000 }, async () => {
    const { stdout } = await run("format", "--check");
    expect(stdout).toMatch(/formatted correctly/);
  });
});
