import { execSync } from "node:child_process";
import { startThrowawayPostgres } from "./postgres-throwaway.ts";
const pg = await startThrowawayPostgres({ database: "pinpoint_itest" });
try {
  execSync(`npx vitest run --project integration ${process.argv.slice(2).join(" ")}`, {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: pg.url, TEST_SKIP_BUILD: "1" },
  });
} catch { process.exitCode = 1; } finally { pg.stop(); }
