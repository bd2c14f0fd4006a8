/**
 * Triage with the keyboard only, in a real browser against the production build: j/k move through the issue list
 * and Enter opens one; on the issue page "?" opens the shortcut list (a modal dialog, Escape closes it), s / p / a
 * jump to status, priority and assignee, and a letter picks an option, which is saved at once without a page load
 * (the control then shows the saved value); c jumps to the comment box, where typing "s" is just text.
 */
import { expect, test } from "@playwright/test";

test("triage an issue with the keyboard only", async ({ page }) => {
  await page.goto("/login?redirectTo=/issues");
  await page.getByLabel("Email").fill("member@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/issues/);
  await expect(page.getByRole("button", { name: "Keyboard shortcuts" })).toBeVisible();

  // The list: j, j, k lands on the first issue; Enter opens it.
  const rows = page.locator("[data-issue-link]");
  await page.keyboard.press("j");
  await expect(rows.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rows.nth(0)).toBeFocused();
  const title = (await rows.nth(0).textContent())!.trim();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const issueUrl = page.url();

  // "?" lists the shortcuts in a modal dialog; Escape closes it.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Change the status");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // No full page load from here on: a marker on the window survives only client-side updates.
  await page.evaluate(() => ((window as unknown as { triageMarker: number }).triageMarker = 1));

  // s: the status control; a letter picks "In Progress", saved at once.
  await page.keyboard.press("s");
  const status = page.getByLabel("Status");
  await expect(status).toBeFocused();
  await page.keyboard.press("I");
  await expect(page.getByRole("status").filter({ hasText: "Status changed to “In Progress”." })).toBeVisible();
  await expect(status.locator("option:checked")).toHaveText("In Progress");

  // Escape leaves the control; then p: priority "Critical".
  await page.keyboard.press("Escape");
  await expect(status).not.toBeFocused();
  await page.keyboard.press("p");
  const priority = page.getByLabel("Priority");
  await expect(priority).toBeFocused();
  await page.keyboard.press("C");
  await expect(page.getByRole("status").filter({ hasText: "Priority changed to “Critical”." })).toBeVisible();
  await expect(page.getByText("Priority: Critical")).toBeVisible();

  // a: assignee "Keith Elwin".
  await page.keyboard.press("Escape");
  await page.keyboard.press("a");
  const assignee = page.getByLabel("Assignee");
  await expect(assignee).toBeFocused();
  await page.keyboard.press("K");
  await expect(page.getByRole("status").filter({ hasText: "Assigned to Keith Elwin." })).toBeVisible();
  await expect(assignee.locator("option:checked")).toHaveText("Keith Elwin");

  // c: the comment box; "s" typed there is text, not a shortcut.
  await page.keyboard.press("Escape");
  await page.keyboard.press("c");
  const comment = page.getByLabel("Add a comment");
  await expect(comment).toBeFocused();
  await page.keyboard.type("Checked the switches");
  await expect(comment).toHaveValue("Checked the switches");
  await expect(status).not.toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("paragraph").filter({ hasText: "Checked the switches" })).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { triageMarker?: number }).triageMarker)).toBe(1);

  // Saved on the server: a fresh load shows the same values.
  await page.goto(issueUrl);
  await expect(page.getByLabel("Status").locator("option:checked")).toHaveText("In Progress");
  await expect(page.getByLabel("Priority").locator("option:checked")).toHaveText("Critical");
  await expect(page.getByLabel("Assignee").locator("option:checked")).toHaveText("Keith Elwin");
});
