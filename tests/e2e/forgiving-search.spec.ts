/**
 * The search that forgives (docs/decisions/038-trigram-search-and-duplicate-guard.md) on a phone, with and without
 * JavaScript, as a member on /issues: a typo finds the word ("fliper" → "flipper", highlighted), a machine's name
 * finds its issues, a guest reporter's name finds theirs, a search is ranked by "Best match".
 */
import { expect, test, type Page } from "@playwright/test";
import { fitsTheScreen, phone, signIn } from "./player";

async function search(page: Page, q: string) {
  const box = page.getByRole("search", { name: "Filter issues" }).getByLabel("Search issues");
  await box.fill(q);
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q).replace(/%20/g, "(\\+|%20)")}`));
}

async function checkSearch(page: Page) {
  await signIn(page, "member@dev.local", "/issues?category=all");
  await expect(page.getByRole("heading", { level: 1, name: "Issues" })).toBeVisible();

  // A typo: the title's word is found and marked.
  await search(page, "fliper");
  const result = page.getByRole("link", { name: "Left flipper feels weak" });
  await expect(result).toBeVisible();
  await expect(result.locator("mark")).toHaveText("flipper");
  // Ranked by Best match, although the form sent the order it showed before the search.
  await expect(page.getByLabel("Sort by").locator("option:checked")).toHaveText("Best match");
  await fitsTheScreen(page);

  // A machine's name finds its issues, whatever their titles say.
  await search(page, "Ultraman");
  await expect(page.getByRole("link", { name: "Left flipper feels weak" })).toBeVisible();
  await expect(page.getByLabel("Sort by").locator("option:checked")).toHaveText("Best match");

  // A guest reporter's name (members only: the list is theirs).
  await search(page, "Maya");
  await expect(page.getByRole("link", { name: "Auto-launch fires twice" })).toBeVisible();

  // The first result opens the issue.
  await search(page, "fliper");
  await page.getByRole("link", { name: "Left flipper feels weak" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Left flipper feels weak" })).toBeVisible();
}

test.describe("on a phone without JavaScript", () => {
  test.use({ ...phone, javaScriptEnabled: false });
  test("typos, machine names and reporters are found, ranked and highlighted", async ({ page }) => {
    await checkSearch(page);
  });
});

test.describe("on a phone with JavaScript", () => {
  test.use({ ...phone, javaScriptEnabled: true });
  test("the same search through the app's own navigation", async ({ page }) => {
    await checkSearch(page);
  });
});

test("a visitor is sent to sign in: the list and its search are for members", async ({ page }) => {
  await page.goto(`/issues?q=${encodeURIComponent("maya.r@example.com")}`);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});
