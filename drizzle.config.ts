import { defineConfig } from "drizzle-kit";

const schema = "./db/schema/index.ts";
const out = "./migrations";

// DATABASE_URL → a real PostgreSQL server (postgres-js); otherwise the embedded PGlite data directory.
// `drizzle-kit generate` and `check` never connect; only migrate/push/studio do (stop the app first for PGlite).
export default process.env.DATABASE_URL
  ? defineConfig({ dialect: "postgresql", schema, out, dbCredentials: { url: process.env.DATABASE_URL } })
  : defineConfig({
      dialect: "postgresql",
      driver: "pglite",
      schema,
      out,
      dbCredentials: { url: process.env.PGLITE_DIR ?? "./data/pglite" },
    });
