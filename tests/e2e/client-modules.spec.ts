import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * Every route module of the client build must evaluate in the browser. A zod schema (or any call) at the top level
 * of a route that uses a `.server` import crashes there, because `.server` modules are empty in the browser; the
 * page then still works by full reload, but client-side navigation to it breaks ("Error loading route module").
 * Fix: move such schemas into a `.server` module (the use cases hold them: see app/use-cases/roles.server.ts).
 */
test("every client route module loads in the browser", async ({ page }) => {
  const dir = path.resolve("public/build/routes");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".js"));
  expect(files.length).toBeGreaterThan(0);
  await page.goto("/login");
  const failures = await page.evaluate(async (names) => {
    const out: string[] = [];
    for (const name of names) {
      try {
        await import(/* @vite-ignore */ `/build/routes/${name}`);
      } catch (error) {
        out.push(`${name}: ${(error as Error).message}`);
      }
    }
    return out;
  }, files);
  expect(failures, `Route modules that crash when loaded in the browser:\n${failures.join("\n")}`).toEqual([]);
});
