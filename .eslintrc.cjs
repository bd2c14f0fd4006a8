/** @type {import('eslint').Linter.Config} */
module.exports = {
  root: true,
  extends: ["@remix-run/eslint-config", "@remix-run/eslint-config/node"],
  ignorePatterns: ["build/", "public/build/", "node_modules/", "data/", "test-results/", "playwright-report/", "migrations/", ".cache/"],
  rules: {
    // Routes never import the database client directly: they get it from the request context (db/context).
    "no-restricted-imports": ["error", { patterns: [{ group: ["**/db/client", "~/../db/client"], message: "Use getAppContext/requirePermission; only server glue opens the database." }] }],
    "react/no-danger": "error",
  },
  overrides: [
    {
      files: ["server/**", "scripts/**", "tests/**", "bench/**", "db/**", "app/lib/**/*.server.ts", "app/entry.server.tsx"],
      rules: { "no-restricted-imports": "off" },
    },
  ],
};
