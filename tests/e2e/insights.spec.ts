/**
 * The reliability page (/insights) in a real browser against the production build, with the keyboard only: from the
 * header to the page, its charts (SVG images named by their title) each with a table of the same numbers, the
 * period and location filters changed and applied from the keyboard (a GET form: the filters land in the URL), the
 * CSV link, and no axe violations.
 */
import { expect, test } from "@playwright/test";
import { axeViolations } from "./axe";

test("a member reads the reliability page and changes its filters with the keyboard", async ({ page }) => {
  await page.goto("/login?redirectTo=/issues");
  await page.getByLabel("Email").fill("member@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/issues/);

  await page.getByRole("link", { name: "Reliability" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/insights/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const charts = page.getByRole("img");
  expect(await charts.count()).toBeGreaterThan(0);
  for (const chart of await charts.all()) await expect(chart).toHaveAccessibleName(/\S/);
  expect(await page.locator("table").count()).toBeGreaterThanOrEqual(await charts.count());

  // The period select, then the submit button, from the keyboard.
  await page.getByLabel("Period").focus();
  await page.getByLabel("Period").selectOption("90");
  await page.getByRole("button", { name: "Show" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]period=90\b/);
  await expect(page.getByLabel("Period")).toHaveValue("90");

  const csv = page.getByRole("link", { name: "Download CSV" });
  await expect(csv).toHaveAttribute("href", /\/insights\.csv\?.*period=90/);

  expect(await axeViolations(page)).toEqual([]);
});
