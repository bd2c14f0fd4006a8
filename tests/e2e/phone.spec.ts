/**
 * PinPoint on a phone: the header's links sit behind a Menu button that works without JavaScript and from the
 * keyboard, and the QR label sheet has a Print button.
 */
import { devices, expect, test, type Page } from "@playwright/test";

const { defaultBrowserType: _ignored, ...iPhone } = devices["iPhone 13"];

async function signIn(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

test.describe("header on a phone, without JavaScript", () => {
  test.use({ ...iPhone, javaScriptEnabled: false });

  test("the links are behind a Menu button that opens with a tap or the keyboard", async ({ page }) => {
    await page.goto("/report");
    const menu = page.locator("#site-menu");
    const button = menu.locator("summary");
    await expect(button).toBeVisible();
    await expect(button).toHaveText(/Menu/);
    // Closed: its links are not shown, and the wide-screen row of links is not shown on a phone either.
    await expect(page.getByRole("link", { name: "Sign in" })).toHaveCount(0);
    await button.click();
    await expect(menu).toHaveAttribute("open", "");
    await expect(menu.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Machines" })).toBeVisible();
    await menu.getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.goto("/report");
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("open", "");
    await page.keyboard.press("Tab");
    await expect(
      menu
        .getByRole("link", { name: "Issues" })
        .or(menu.getByRole("link", { name: "Machines" }))
        .first(),
    ).toBeFocused();
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(menu).not.toHaveAttribute("open", "");
  });

  test("wide screens keep the links in a row without a Menu button", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    await page.goto("/report");
    await expect(page.locator("#site-menu summary")).toBeHidden();
    // The links are the phone's Menu's own (one copy in the page), shown while the menu is closed.
    await expect(page.locator("#site-menu")).not.toHaveAttribute("open", "");
    await expect(page.locator('nav[aria-label="Main"]')).toHaveCount(1);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Machines" }).click();
    await expect(page).toHaveURL(/\/machines/);
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
});

test.describe("QR label sheet", () => {
  test("a Print button opens the print dialog", async ({ page }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => {
        w.printed += 1;
      };
    });
    await signIn(page);
    await page.goto("/admin/qr-codes");
    await page.getByRole("link", { name: "Print sheet" }).first().click();
    await expect(page).toHaveURL(/\/print\/labels\?/);
    const print = page.getByRole("button", { name: "Print labels" });
    await expect(print).toBeVisible();
    await print.click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  });

  test("without JavaScript the page points at the browser's Print command instead", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.goto("/admin/qr-codes");
    await page.getByRole("link", { name: "Print sheet" }).first().click();
    await expect(page.getByText(/Ctrl\+P/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Print labels" })).toHaveCount(0);
    await context.close();
  });
});
