/**
 * Links and forms are plain HTML; once a page runs, one pair of listeners sends them through Remix's router
 * (app/lib/delegated-navigation.ts). Here, in a real browser: moves and submissions load no new document, what the
 * browser should handle itself stays with it, and without JavaScript the same elements work as plain HTML.
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./player";

/** Every document the page loads from now on (a client-side move loads none). */
function documentLoads(page: Page): string[] {
  const loads: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document" && request.frame() === page.mainFrame()) loads.push(request.url());
  });
  return loads;
}

test("links and forms of a running page move through the router, without a new document", async ({ page }) => {
  await signIn(page, "admin@dev.local", "/issues?category=all");
  // The list's rows lose their no-JavaScript "Save" buttons once the page has hydrated (and the listeners are on).
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  const loads = documentLoads(page);

  // A link in the list.
  const first = page.locator("a[data-issue-link]").first();
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/issues\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // A form without an action: it posts to the page's own address; the answer is shown in place.
  const note = `Delegated comment ${Date.now()}`;
  await page.getByLabel("Add a comment").fill(note);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: note })).toBeVisible();

  // A link of the header, then a form on an index route (its action carries ?index).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).first().click();
  await expect(page).toHaveURL(/\/admin$/);
  await page
    .getByRole("link", { name: /^Roles/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/admin\/roles$/);
  await expect(page.locator("form:has(input[name=intent][value=create])")).toHaveAttribute(
    "action",
    "/admin/roles?index",
  );
  const role = `Delegated ${Date.now()}`;
  await page.getByLabel("Name").fill(role);
  await page.getByLabel("Start from").selectOption("blank");
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("heading", { level: 1, name: role })).toBeVisible();
  // The submitter's own name and value travel with the form.
  await page.getByRole("button", { name: "Delete role" }).click();
  await expect(page).toHaveURL(/\/admin\/roles\?deleted=/);
  await expect(page.getByRole("status")).toContainText(role);

  // Back and forward are the router's too.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\/admin\/roles$/);

  expect(loads).toEqual([]);
});

test("the browser keeps what is its own: same-page anchors, downloads, new tabs", async ({ page, context }) => {
  await signIn(page, "member@dev.local", "/issues?category=all");
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  const loads = documentLoads(page);

  // The skip link moves focus to the content on this page.
  await page.getByRole("link", { name: "Skip to content" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await expect(page.getByRole("main")).toBeFocused();

  // The CSV export is a file, not a page.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);

  // A modified click opens a new tab, which loads its own document; this page stays.
  const [tab] = await Promise.all([
    context.waitForEvent("page"),
    page
      .locator("a[data-issue-link]")
      .first()
      .click({ modifiers: ["ControlOrMeta"] }),
  ]);
  await tab.waitForLoadState();
  expect(tab.url()).toMatch(/\/issues\/[^/?]+$/);
  await expect(page).toHaveURL(/\/issues\?category=all#main$/);
  expect(loads).toEqual([]);
});

test("without JavaScript the same links and forms work as HTML; index routes post with ?index and the page's query", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "admin@dev.local", "/issues?category=all");
  const save = page.locator("form:has(input[name=intent][value=triage])").first();
  await expect(save).toHaveAttribute("action", "/issues?index&category=all");
  await save.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/issues\?index&category=all$/);
  await expect(page.getByRole("status").first()).toBeVisible();

  await page.locator("a[data-issue-link]").first().click();
  await expect(page).toHaveURL(/\/issues\/[^/?]+$/);
  await context.close();
});
