import { describe, expect, it } from "vitest";
import {
  ALL_PERMISSION_NAMES,
  MEMBER_PERMISSIONS,
  PERMISSION_DEPENDENCIES,
  PERMISSION_DESCRIPTIONS,
  PERMISSIONS,
  ROLE_TEMPLATES,
  UNAUTHENTICATED_PERMISSIONS,
  expandPermissions,
  isPermissionName,
  type PermissionName,
} from "../../core/permissions";

describe("permission catalogue", () => {
  it("has the 21 permissions of the original plus machine:maintain, in resource:action form, each with a description", () => {
    expect(ALL_PERMISSION_NAMES).toEqual([
      "issue:view",
      "issue:create",
      "issue:edit",
      "issue:delete",
      "issue:assign",
      "issue:bulk_manage",
      "machine:view",
      "machine:create",
      "machine:edit",
      "machine:delete",
      "machine:maintain",
      "location:view",
      "location:create",
      "location:edit",
      "location:delete",
      "attachment:view",
      "attachment:create",
      "attachment:delete",
      "organization:manage",
      "role:manage",
      "user:manage",
      "admin:view_analytics",
    ]);
    expect(new Set(ALL_PERMISSION_NAMES).size).toBe(22);
    for (const p of PERMISSIONS) {
      expect(p.name).toMatch(/^[a-z]+:[a-z_]+$/);
      expect(p.description.trim().length).toBeGreaterThan(5);
      expect(PERMISSION_DESCRIPTIONS[p.name]).toBe(p.description);
    }
  });

  it("does not contain strings that were never granted in the original", () => {
    for (const name of ["issue:confirm", "issue:admin", "organization:admin", "issues:read_internal"]) {
      expect(isPermissionName(name)).toBe(false);
    }
    expect(isPermissionName("issue:view")).toBe(true);
  });

  it("dependencies only reference catalogue permissions and are acyclic", () => {
    for (const [key, deps] of Object.entries(PERMISSION_DEPENDENCIES)) {
      expect(isPermissionName(key)).toBe(true);
      for (const d of deps ?? []) {
        expect(isPermissionName(d)).toBe(true);
        expect(d).not.toBe(key);
        // no cycles: a dependency never (transitively) needs its dependant
        const seen = new Set<string>();
        const stack: string[] = [d];
        while (stack.length) {
          const cur = stack.pop()!;
          expect(cur).not.toBe(key);
          if (seen.has(cur)) continue;
          seen.add(cur);
          stack.push(...(PERMISSION_DEPENDENCIES[cur as PermissionName] ?? []));
        }
      }
    }
  });

  it("matches the dependency table of the spec", () => {
    expect(PERMISSION_DEPENDENCIES).toEqual({
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
    });
  });
});

describe("expandPermissions", () => {
  it("adds direct dependencies after the originals", () => {
    expect(expandPermissions(["issue:edit"])).toEqual(["issue:edit", "issue:view"]);
    expect(expandPermissions(["machine:delete", "attachment:delete"])).toEqual([
      "machine:delete",
      "attachment:delete",
      "machine:view",
      "attachment:view",
    ]);
  });

  it("does not duplicate permissions that are already present", () => {
    expect(expandPermissions(["issue:view", "issue:edit", "issue:assign"])).toEqual([
      "issue:view",
      "issue:edit",
      "issue:assign",
    ]);
    const out = expandPermissions(["issue:bulk_manage", "issue:edit", "issue:delete"]);
    expect(out).toEqual(["issue:bulk_manage", "issue:edit", "issue:delete", "issue:view"]);
    expect(new Set(out).size).toBe(out.length);
  });

  it("keeps the originals in their order", () => {
    const input = ["location:edit", "issue:create", "machine:edit"];
    expect(expandPermissions(input).slice(0, 3)).toEqual(input);
  });

  it("expands one level only (union of the permissions and their direct dependencies)", () => {
    expect(expandPermissions(["issue:bulk_manage"])).toEqual(["issue:bulk_manage", "issue:view", "issue:edit"]);
  });

  it("lets unknown permissions pass through unchanged", () => {
    expect(expandPermissions(["issue:confirm", "issue:edit"])).toEqual(["issue:confirm", "issue:edit", "issue:view"]);
    expect(expandPermissions([])).toEqual([]);
  });

  it("does not mutate its input", () => {
    const input = ["issue:edit"];
    expandPermissions(input);
    expect(input).toEqual(["issue:edit"]);
  });

  it("of the whole catalogue is the catalogue", () => {
    expect(expandPermissions([...ALL_PERMISSION_NAMES])).toEqual([...ALL_PERMISSION_NAMES]);
  });
});

describe("built-in role sets", () => {
  it("Unauthenticated is the 6 safe public permissions", () => {
    expect([...UNAUTHENTICATED_PERMISSIONS].sort()).toEqual(
      ["attachment:create", "attachment:view", "issue:create", "issue:view", "location:view", "machine:view"].sort(),
    );
    for (const p of UNAUTHENTICATED_PERMISSIONS) {
      expect(p).toMatch(/:(view|create)$/);
      expect(["organization:manage", "role:manage", "user:manage"]).not.toContain(p);
    }
    // closed under dependencies
    expect(expandPermissions([...UNAUTHENTICATED_PERMISSIONS]).sort()).toEqual([...UNAUTHENTICATED_PERMISSIONS].sort());
  });

  it("MEMBER template has the 10 member permissions (machine:maintain added to the original 9), all valid and closed under dependencies", () => {
    expect(ROLE_TEMPLATES.MEMBER.name).toBe("Member");
    expect([...MEMBER_PERMISSIONS].sort()).toEqual(
      [
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
      ].sort(),
    );
    for (const p of MEMBER_PERMISSIONS) expect(isPermissionName(p)).toBe(true);
    expect(expandPermissions([...MEMBER_PERMISSIONS]).sort()).toEqual([...MEMBER_PERMISSIONS].sort());
    for (const p of ["organization:manage", "role:manage", "user:manage"]) {
      expect(MEMBER_PERMISSIONS).not.toContain(p);
    }
  });
});
