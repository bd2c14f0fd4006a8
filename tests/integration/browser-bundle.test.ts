/**
 * The browser gets no database code and no validation library (docs/architecture.md, "server-only by name"): the
 * client build (made by the global setup or by `npm test`) must contain no drizzle, no table
 * definitions, no SQL of ours and no zod.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const publicDir = path.resolve("public");
const buildDir = path.join(publicDir, "build");

/**
 * Every script the current build can send: the files its assets manifest names (the server build says which
 * manifest is current; public/build also keeps chunks of earlier builds, which no page loads).
 */
function clientFiles(): string[] {
  const manifestUrl = /url: *"(\/build\/manifest-[^"]+\.js)"/.exec(
    fs.readFileSync(path.resolve("build/index.js"), "utf8"),
  )?.[1];
  if (!manifestUrl) throw new Error("build/index.js names no assets manifest: run `npx remix build`");
  const manifest = fs.readFileSync(path.join(publicDir, manifestUrl), "utf8");
  const urls = new Set([manifestUrl, ...(manifest.match(/\/build\/[^"]+\.js/g) ?? [])]);
  return [...urls].map((url) => path.join(publicDir, url));
}

// Markers that only appear when the library or our schema is bundled: drizzle's table builder and query builder
// class names, our table names as quoted SQL identifiers, zod's error class and its locale tables.
const FORBIDDEN: Array<[string, RegExp]> = [
  ["drizzle-orm", /\bpgTable\b|PgDialect|drizzle:Name/],
  ["table definitions", /"IssueHistory"|"RolePermissions"|"_RolePermissions"|"AuditLog"/],
  ["zod", /ZodError|\$ZodType|zod_default|invalid_type/],
  ["postgres drivers", /@electric-sql\/pglite|postgres-js|PGlite/],
];

describe("browser bundle", () => {
  const files = clientFiles();

  it("was built", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const [name, pattern] of FORBIDDEN) {
    it(`contains no ${name}`, () => {
      const offenders = files
        .filter((file) => pattern.test(fs.readFileSync(file, "utf8")))
        .map((f) => path.relative(buildDir, f));
      expect(offenders).toEqual([]);
    });
  }
});
