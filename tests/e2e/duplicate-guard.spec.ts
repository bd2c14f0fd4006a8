/**
 * "Is it one of these?" on a phone (docs/decisions/038-trigram-search-and-duplicate-guard.md): without JavaScript the
 * report that resembles a known problem comes back with the matches and "No, it's something new" files it; with
 * JavaScript the matches appear while typing and "Me too" on one counts the vote, without a script file loaded.
 */
import { devices, expect, test, type Page } from "@playwright/test";

const { defaultBrowserType: _ignored, ...iPhone } = devices["iPhone 13"];
const MACHINE = "Ultraman: Kaiju Rumble (Blood Sucker Edition)";

/** The machine's public page, reached like a player without the QR code: the /report picker's search. */
async function openMachinePage(page: Page) {
  await page.goto(`/report?q=${encodeURIComponent("Ultraman")}`);
  await page
    .getByRole("link", { name: new RegExp(MACHINE.replace(/[()]/g, "\\$&")) })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: MACHINE })).toBeVisible();
}

test.describe("without JavaScript", () => {
  test.use({ ...iPhone, javaScriptEnabled: false });

  test("a report like a known problem asks first; “No, it’s something new” files it", async ({ page }) => {
    await openMachinePage(page);
    const title = `Left fliper weak ${Date.now()}`;
    const report = page.getByRole("region", { name: "Report a problem" });
    await report.getByLabel("What’s wrong?").fill(title);
    await report.getByLabel("Your name (optional)").fill("Sam");
    await report.getByRole("button", { name: "Send report" }).click();

    const guard = page.getByRole("region", { name: "Is it one of these?" });
    await expect(guard).toBeVisible();
    await expect(guard.getByRole("listitem").filter({ hasText: "Left flipper feels weak" })).toBeVisible();
    await expect(guard.getByRole("button", { name: "Me too: Left flipper feels weak" })).toBeVisible();
    await guard.getByRole("button", { name: /No, it’s something new/ }).click();

    await expect(page).toHaveURL(/\/follow\/[^/?]+\?new=1$/);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  });
});

test.describe("with JavaScript", () => {
  test.use({ ...iPhone, javaScriptEnabled: true });

  test("the matches appear while typing and “Me too” on one counts it, with no script file", async ({ page }) => {
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    await openMachinePage(page);
    const report = page.getByRole("region", { name: "Report a problem" });
    await report.getByLabel("What’s wrong?").pressSequentially("display flicker", { delay: 30 });
    const live = page.locator("#similar-live");
    await expect(live).toHaveAttribute("aria-live", "polite");
    await expect(live.getByText("Display flickers during multiball")).toBeVisible();
    await expect(page).toHaveURL(/\/m\/[a-z0-9]+$/); // no page change
    await live.getByRole("button", { name: "Me too: Display flickers during multiball" }).click();
    await expect(page).toHaveURL(/voted=/);
    await expect(page.getByText(/Thanks! We counted your “me too”\.|You already said “me too”/)).toBeVisible();
    expect(scripts).toEqual([]);
  });
});
