/**
 * The arrow rule of docs/architecture.md is enforced here: core/ imports nothing of ours, db/ imports only db/ and
 * core/, routes reach the database only through use cases, query helpers and the request's access.
 */
const upwardFromDb = {
  group: ["**/app/**", "~/*", "**/server/**"],
  message: "db/ must not import app/ or server/ (arrows run routes → use cases → db/queries → db/schema).",
};
const fromCore = {
  group: ["**/app/**", "~/*", "**/db/**", "**/server/**"],
  message: "core/ is pure: it imports nothing of ours.",
};
const dbFromPages = {
  group: ["**/db/**", "~/../db/**"],
  message:
    "Pages reach the server side through app/use-cases/*.server and app/lib/*.server only (docs/architecture.md).",
  allowTypeImports: true,
};
const driverFromApp = {
  group: ["**/db/client.server", "~/../db/client.server"],
  message: "Only server glue opens the database: use requirePermission/getAccess and the use cases.",
};

/** @type {import('eslint').Linter.Config} */
module.exports = {
  root: true,
  extends: ["@remix-run/eslint-config", "@remix-run/eslint-config/node", "prettier"],
  ignorePatterns: [
    "build/",
    "public/build/",
    "node_modules/",
    "data/",
    "test-results/",
    "playwright-report/",
    "migrations/",
    ".cache/",
  ],
  rules: {
    "no-restricted-imports": ["error", { patterns: [driverFromApp] }],
    "react/no-danger": "error",
  },
  overrides: [
    {
      files: ["server/**", "scripts/**", "tests/**", "bench/**", "app/lib/**/*.server.ts", "app/entry.server.tsx"],
      rules: { "no-restricted-imports": "off" },
    },
    {
      files: ["app/routes/**", "app/components/**", "app/root.tsx"],
      rules: {
        "no-restricted-imports": "off",
        "@typescript-eslint/no-restricted-imports": ["error", { patterns: [dbFromPages] }],
      },
    },
    { files: ["db/**"], rules: { "no-restricted-imports": ["error", { patterns: [upwardFromDb] }] } },
    { files: ["core/**"], rules: { "no-restricted-imports": ["error", { patterns: [fromCore] }] } },
  ],
};
