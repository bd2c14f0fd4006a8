/**
 * The front door on a phone with JavaScript disabled: scan a seeded machine's QR code (/qr/<code>), see its page,
 * file a report, see the confirmation, and find the report listed on the machine page. Then "me too" on it.
 */
import { devices, expect, test, type Browser } from "@playwright/test";

const { defaultBrowserType: _ignored, ...iPhone } = devices["iPhone 13"];

test.use({ ...iPhone, javaScriptEnabled: false });

/** The QR target of a seeded machine, read from its team page by the demo admin (also without JavaScript). */
async function qrPathOf(browser: Browser, machineName: string): Promise<string> {
  // At a desk: on a phone-sized screen the header's links are behind the Menu button.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto(`/machines?q=${encodeURIComponent(machineName)}`);
  await page.getByRole("link", { name: machineName, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: machineName })).toBeVisible();
  const encoded =
    (await page
      .locator("section", { has: page.getByRole("heading", { name: "QR code" }) })
      .locator("code")
      .textContent()) ?? "";
  await context.close();
  const url = new URL(encoded.trim());
  expect(url.pathname).toMatch(/^\/qr\/[A-Za-z0-9_-]+$/);
  return url.pathname;
}

test("scan, report without an account, confirmation, listed on the machine page", async ({ page, browser }) => {
  const qrPath = await qrPathOf(browser, "Cleopatra");
  const title = `Ball stuck in the saucer ${Date.now()}`;

  const scan = await page.goto(qrPath);
  expect(scan?.status()).toBe(200);
  await expect(page).toHaveURL(/\/m\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Cleopatra" })).toBeVisible();
  await expect(page.getByText(/(Playable|Degraded|Down)$/).first()).toBeVisible();

  // Phone-sized: nothing wider than the screen.
  const viewport = page.viewportSize()!;
  const main = await page.getByRole("main").boundingBox();
  expect(main!.width).toBeLessThanOrEqual(viewport.width);

  const report = page.getByRole("region", { name: "Report a problem" });
  await report.getByLabel("What’s wrong?").fill(title);
  await report.getByLabel("Details (optional)").fill("The ball stays in the saucer and never kicks out.");
  await report.getByLabel("Your name (optional)").fill("Sam");
  await report.getByRole("button", { name: "Send report" }).click();

  await expect(page).toHaveURL(/\/follow\/[^/?]+\?new=1$/);
  await expect(page.getByText("Thanks! Your report was received.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  await expect(page.getByText("Problem reported")).toBeVisible();

  await page.getByRole("link", { name: "Back to Cleopatra" }).click();
  const known = page.getByRole("region", { name: /Known problems/ });
  const item = known.getByRole("listitem").filter({ hasText: title });
  await expect(item).toBeVisible();

  // "Me too" from another phone counts once.
  const other = await browser.newContext({ ...iPhone, javaScriptEnabled: false });
  const phone2 = await other.newPage();
  await phone2.goto(page.url());
  const otherItem = phone2.getByRole("listitem").filter({ hasText: title });
  await otherItem.getByRole("button", { name: `Me too: ${title}` }).click();
  await expect(phone2.getByText("Thanks! We counted your “me too”.")).toBeVisible();
  await expect(phone2.getByRole("listitem").filter({ hasText: title })).toContainText("1 person said me too");
  await expect(phone2.getByRole("listitem").filter({ hasText: title })).toContainText("You said me too");
  await other.close();
});

test("a form error keeps what was typed and says what to fix", async ({ page, browser }) => {
  const qrPath = await qrPathOf(browser, "Xenon");
  await page.goto(qrPath);
  const report = page.getByRole("region", { name: "Report a problem" });
  await report.getByLabel("What’s wrong?").fill("Tube lights flicker");
  await report.getByLabel("Your email (optional)").fill("not-an-email");
  await report.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Enter a valid email address", { exact: true })).toBeVisible();
  // The page comes back with its error summary in view and focused (autofocus works without JavaScript), naming
  // the field to fix.
  const summary = page.locator("#report-errors");
  await expect(summary).toBeFocused();
  await expect(summary).toBeInViewport();
  await expect(summary.getByRole("link", { name: "Your email: Enter a valid email address" })).toBeVisible();
  await expect(page.getByLabel("What’s wrong?")).toHaveValue("Tube lights flicker");
  await expect(page.getByLabel("Your email (optional)")).toHaveAttribute("aria-invalid", "true");
});

test("an unknown QR code leads to the machine picker, which says why", async ({ page }) => {
  const res = await page.goto("/qr/this-code-does-not-exist");
  expect(res?.status()).toBe(200);
  await expect(page).toHaveURL(/\/report\?qr=unknown$/);
  await expect(page.getByRole("heading", { level: 1, name: "Report a problem" })).toBeVisible();
  await expect(page.getByText("We don’t recognise this QR code.")).toBeVisible();
  await page.getByRole("link", { name: /Funhouse/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Funhouse/ })).toBeVisible();
});

test.describe("with JavaScript", () => {
  test.use({ javaScriptEnabled: true });

  // The public pages send no client JavaScript even when the browser runs it: a phone at a cabinet gains more from a
  // 10 kB page than from client-side transitions (docs/decisions/032-public-pages-without-client-js.md). The journey
  // is the same as without JavaScript, with ordinary page loads, and not one script is requested.
  test("a field error, then the report and its follow page, then “me too” on it, with no scripts loaded", async ({
    page,
    browser,
  }) => {
    const qrPath = await qrPathOf(browser, "Xenon");
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    const title = `Drop target sticks ${Date.now()}`;
    await page.goto(qrPath);
    const report = page.getByRole("region", { name: "Report a problem" });
    await report.getByLabel("What’s wrong?").fill(title);
    await report.getByLabel("Your email (optional)").fill("not-an-email");
    await report.getByRole("button", { name: "Send report" }).click();
    await expect(report.getByText("Enter a valid email address", { exact: true })).toBeVisible();
    await expect(report.getByText("Please check the highlighted fields.")).toBeVisible();
    await expect(page.locator("#report-errors")).toBeFocused();
    await report.getByLabel("Your email (optional)").fill("");
    await report.getByRole("button", { name: "Send report" }).click();
    await expect(page).toHaveURL(/\/follow\/[^/?]+\?new=1$/);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

    await page.getByRole("link", { name: "Back to Xenon" }).click();
    const item = page.getByRole("listitem").filter({ hasText: title });
    await item.getByRole("button", { name: `Me too: ${title}` }).click();
    await expect(page.getByText("Thanks! We counted your “me too”.")).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: title })).toContainText("You said me too");
    expect(scripts).toEqual([]);
  });
});
