/**
 * The QR landing page passes axe's automated accessibility rules (the rules Lighthouse's accessibility score is built
 * from; Lighthouse itself runs in `npm run bench`, bench/lighthouse.ts, because its scores depend on timing). On a
 * phone, in light and dark colour schemes, and after a failed submit (error summary). axe-core is the copy Lighthouse
 * (a pinned dev dependency) brings along.
 */
import { devices, expect, test, type Page } from "@playwright/test";
import { axeViolations as violations } from "./axe";

const { defaultBrowserType: _ignored, ...iPhone } = devices["iPhone 13"];
test.use({ ...iPhone });

async function firstMachinePage(page: Page): Promise<string> {
  await page.goto("/report");
  const href = await page.locator('a[href^="/m/"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

test("the QR landing page has no axe violations, light and dark, before and after a failed submit", async ({
  page,
}) => {
  const machinePage = await firstMachinePage(page);
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(machinePage);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await violations(page), `${machinePage} (${colorScheme})`).toEqual([]);
  }
  // A failed submit: the form comes back with its error summary.
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(machinePage);
  // Blank after trimming: the browser's `required` check lets it through, the server refuses it.
  const form = page.locator('form[enctype="multipart/form-data"]').first();
  await form.locator('[name="title"]').fill("   ");
  await form.locator('button[type="submit"]').first().click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  expect(await violations(page), `${machinePage} after a failed submit`).toEqual([]);
});

test("the machine picker with the notice of an unknown QR code has no axe violations, light and dark", async ({
  page,
}) => {
  for (const colorScheme of ["light", "dark"] as const) {
    // Scheme first, then the page: buttons fade between colours, and axe would measure one half-way.
    await page.emulateMedia({ colorScheme });
    await page.goto("/qr/this-code-does-not-exist");
    await expect(page.getByText("We don’t recognise this QR code.")).toBeVisible();
    expect(await violations(page), `/report?qr=unknown (${colorScheme})`).toEqual([]);
  }
});
