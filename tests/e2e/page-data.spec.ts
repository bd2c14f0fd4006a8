/**
 * Pages whose data is sent as one JSON string (app/lib/page-data.ts) hydrate from it without a mismatch or an error,
 * on first load and after a move inside the app (the data then comes from a `.data` request).
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./player";

/** Console errors and uncaught exceptions of the page from now on (React reports a hydration mismatch as an error). */
function problems(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") seen.push(message.text());
  });
  page.on("pageerror", (error) => seen.push(error.message));
  return seen;
}

async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
  );
}

test("the issue list, an issue, the machines, a machine and the notifications hydrate from their packed data", async ({
  page,
}) => {
  const seen = problems(page);
  await signIn(page, "admin@dev.local", "/issues?category=all");
  await hydrated(page);
  // Hydrated: the rows' no-JavaScript "Save" buttons are gone.
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);

  const issue = page.locator("a[data-issue-link]").first();
  const title = (await issue.textContent())!.trim();
  const issueUrl = await issue.getAttribute("href");
  await page.goto(issueUrl!);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveTitle(`${title} · Issues · PinPoint`);

  await page.goto("/machines");
  await hydrated(page);
  const machine = page.getByRole("main").locator('a[href^="/machines/"]:not([href="/machines/new"])').first();
  const name = (await machine.textContent())!.trim();
  // A move inside the app: the machine page's data comes packed from a `.data` request.
  await machine.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveTitle(`${name} · Machines · PinPoint`);

  await page.goto("/notifications");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(seen).toEqual([]);
});
