import fs from "node:fs";
import { describe, expect, it } from "vitest";
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
      "IssueStatus",
      "Location",
      "Machine",
      "MailOutbox",
      "Membership",
      "Model",
      "Notification",
      "Organization",
      "Password",
      "PasswordResetToken",
      "Permission",
      "PinballMapConfig",
      "Priority",
      "Role",
      "Session",
      "Upvote",
      "User",
      "VerificationToken",
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
