/**
 * The venue status board (/status, app/routes/status.tsx) on a phone, with and without JavaScript: machines
 * grouped by location with playable / degraded / down, open problems and the last update, the time it was checked,
 * a meta refresh every minute, the large-type variant, and each machine's link to its public page. Plain HTML: not one
 * script is loaded even when the browser runs JavaScript. The large type is also checked on a TV-sized screen.
 */
import { expect, test, type Page } from "@playwright/test";
import { fitsTheScreen, phone } from "./player";

async function checkBoard(page: Page) {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  const res = await page.goto("/status");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: /machine status$/ })).toBeVisible();
  // When it was checked, and that it checks again by itself: a meta refresh, no script.
  await expect(page.getByText(/^As of .+\. This page updates itself every minute\.$/)).toBeVisible();
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", "60");
  await expect(page.getByRole("list", { name: "Totals" })).toContainText(/\d+ playable/);

  // Grouped by location: a section per location, each machine with its status in words and its open problems.
  const location = page.locator("section[data-location-id]").first();
  await expect(location.getByRole("heading", { level: 2 })).toBeVisible();
  const machine = location.locator("li[data-machine-id]").first();
  await expect(machine).toBeVisible();
  await expect(machine).toContainText(/Playable|Degraded|Down/);
  await expect(machine).toContainText(/No open problems|\d+ open problems?/);
  await expect(machine).toContainText(/Last update|No updates in \d+ days/);
  await fitsTheScreen(page);

  // Large type for a screen across the room, then back.
  await expect(page.getByRole("heading", { level: 1 })).toHaveCSS("font-size", "24px");
  await page.getByRole("link", { name: "Large type for a TV screen" }).click();
  await expect(page).toHaveURL(/\/status\?tv=1$/);
  await expect(page.locator("[data-tv]")).toHaveAttribute("data-tv", "1");
  await expect(page.getByRole("heading", { level: 1 })).toHaveCSS("font-size", "60px");
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", "60");
  await fitsTheScreen(page);
  await page.getByRole("link", { name: "Normal size" }).click();
  await expect(page).toHaveURL(/\/status$/);

  // Each machine leads to its public page.
  const link = page.locator("li[data-machine-id]").first().getByRole("link").first();
  const name = ((await link.textContent()) ?? "").trim();
  await link.click();
  await expect(page).toHaveURL(/\/m\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  expect(scripts).toEqual([]);
}

test.describe("on a phone without JavaScript", () => {
  test.use({ ...phone, javaScriptEnabled: false });
  test("the board: locations, statuses, counts, refresh, large type, links", async ({ page }) => {
    await checkBoard(page);
  });
});

test.describe("on a phone with JavaScript", () => {
  test.use({ ...phone, javaScriptEnabled: true });
  test("the same board, and still no script loaded", async ({ page }) => {
    await checkBoard(page);
  });
});

test("on a TV across the room: large type, each machine name large and the page as wide as the screen", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/status?tv=1");
  await expect(page.locator("li[data-machine-id]").first().getByRole("link").first()).toHaveCSS("font-size", "36px");
  await fitsTheScreen(page);
  await context.close();
});
