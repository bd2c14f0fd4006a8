/**
 * The product's core journey, in a real browser against the production build:
 * a guest reports a problem on a machine page → a member signs in, finds it by search on /issues, assigns it to
 * themselves, comments, and closes it → the guest's follow link shows it closed.
 */
import { expect, test } from "@playwright/test";

test("report → triage → resolve → the reporter sees it closed", async ({ browser }) => {
  const word = `zq${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, "x")}`;
  const title = `Spinner ${word} stuck after multiball`;

  // 1. A guest reports from the machine page (the QR code's target).
  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto("/report");
  // The machine page is what a QR code opens: load it as a fresh document, as a phone would.
  const machinePath = await guestPage
    .getByRole("link", { name: /^Xenon/ })
    .first()
    .getAttribute("href");
  expect(machinePath).toMatch(/^\/m\/[^/?]+$/);
  await guestPage.goto(machinePath!);
  await guestPage.getByLabel("What’s wrong?").fill(title);
  await guestPage.getByLabel("Details (optional)").fill("The spinner stops after one turn.");
  await guestPage.getByLabel("Your name (optional)").fill("Robin Guest");
  await guestPage.getByLabel("Your email (optional)").fill("robin@example.test");
  await guestPage.getByRole("button", { name: "Send report" }).click();
  await expect(guestPage).toHaveURL(/\/follow\/[^/?]+/);
  await expect(guestPage.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(guestPage.getByText("Open", { exact: true })).toBeVisible();
  const followUrl = new URL(guestPage.url());
  followUrl.search = "";

  // 2. A member signs in and finds it by full-text search.
  const tech = await browser.newContext();
  const page = await tech.newPage();
  await page.goto("/login?redirectTo=/issues");
  await page.getByLabel("Email").fill("member@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/issues/);
  await page.getByLabel("Search issues").fill(word);
  await page.getByLabel("Search issues").press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  const result = page.getByRole("link", { name: title });
  await expect(result).toBeVisible();
  await result.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // Members who triage see the guest's contact details.
  await expect(page.getByText("robin@example.test")).toBeVisible();

  // 3. Assign to self.
  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.getByRole("status")).toContainText("Assigned to you.");
  await expect(page.getByLabel("Assignee")).toHaveValue(/.+/);
  await expect(page.getByRole("button", { name: "Assign to me" })).toHaveCount(0);

  // 4. Comment.
  const note = "Cleaned the spinner bracket and re-bent the switch wire.";
  await page.getByLabel("Add a comment").fill(note);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: note })).toBeVisible();
  await expect(page.getByLabel("Add a comment")).toHaveValue("");
  // A second comment right away is not taken for a repeat of the first: the form got a fresh idempotency key.
  const followUp = "Played ten games: the spinner counts again.";
  await page.getByLabel("Add a comment").fill(followUp);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: followUp })).toBeVisible();
  await expect(page.getByRole("paragraph").filter({ hasText: note })).toBeVisible();

  // 5. Resolve: a Closed-category status, saved as soon as it is picked.
  await page.getByLabel("Status").selectOption({ label: "Fixed" });
  await expect(page.getByRole("status").filter({ hasText: "Status changed to “Fixed”." })).toBeVisible();
  await expect(page.getByText("Closed · Fixed")).toBeVisible();
  await expect(page.getByText(/closed this as “Fixed”/)).toBeVisible();

  // 6. The guest's follow link shows it closed.
  await guestPage.goto(followUrl.toString());
  await expect(guestPage.getByText("Closed", { exact: true }).first()).toBeVisible();
  await expect(guestPage.getByText("Fixed", { exact: true })).toBeVisible();

  await guest.close();
  await tech.close();
});
