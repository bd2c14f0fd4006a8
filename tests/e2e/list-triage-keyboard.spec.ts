/**
 * Triage on the issue list with the keyboard only, in a real browser against the production build: "?" lists the
 * list's shortcuts; j selects a row, s / p / a jump to that row's status, priority and assignee, a letter picks an
 * option that is saved at once without a page load, the row shows the new value and keeps the focus (also when the
 * new status no longer matches the list's filter), Escape goes back to the row's title. The controls are not stale:
 * the issue page and the list loaded afresh show what was saved. axe finds nothing before or after.
 */
import { expect, test, type Locator } from "@playwright/test";
import { axeViolations } from "./axe";

/** A letter that picks an option other than the current one: the first letter of `wanted`, else of `other`. */
async function letterFor(select: Locator, wanted: string, other: string): Promise<[string, string]> {
  const current = (await select.locator("option:checked").textContent())?.trim();
  const name = current === wanted ? other : wanted;
  return [name.charAt(0), name];
}

test("triage a row of the issue list with the keyboard only", async ({ page }) => {
  await page.goto("/login?redirectTo=/issues");
  await page.getByLabel("Email").fill("member@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/issues/);
  await expect(page.getByRole("button", { name: "Keyboard shortcuts" })).toBeVisible();
  // With JavaScript the controls save on change: no row has a "Save" button.
  await expect(page.locator("[data-issue-row] button[type=submit]")).toHaveCount(0);
  expect(await axeViolations(page), "/issues").toEqual([]);

  // "?" lists what the list supports.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  for (const text of ["Next issue in the list", "status", "priority", "assignee", "Search issues"])
    await expect(help).toContainText(text);
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // No full page load from here on: a marker on the window survives only client-side updates.
  await page.evaluate(() => ((window as unknown as { listMarker: number }).listMarker = 1));

  // j selects the first row; s jumps to its status; "F" picks "Fixed", saved at once.
  const row = page.locator("[data-issue-row]").first();
  const link = row.locator("[data-issue-link]");
  await page.keyboard.press("j");
  await expect(link).toBeFocused();
  const href = (await link.getAttribute("href"))!;
  await page.keyboard.press("s");
  const status = row.locator('[data-triage="statusId"]');
  await expect(status).toBeFocused();
  await page.keyboard.press("F");
  await expect(row.getByRole("status").filter({ hasText: "Status changed to “Fixed”." })).toBeVisible();
  await expect(status.locator("option:checked")).toHaveText("Fixed");
  // The row stays (the list is on its "Active" tab), shows the new status and keeps the focus.
  await expect(row.locator("[data-issue-link]")).toHaveAttribute("href", href);
  await expect(row).toContainText("Fixed");
  await expect(status).toBeFocused();

  // Escape: back to the row's title; p: the same row's priority.
  await page.keyboard.press("Escape");
  await expect(link).toBeFocused();
  await page.keyboard.press("p");
  const priority = row.locator('[data-triage="priorityId"]');
  await expect(priority).toBeFocused();
  const [pKey, pName] = await letterFor(priority, "Critical", "Low");
  await page.keyboard.press(pKey);
  await expect(row.getByRole("status").filter({ hasText: `Priority changed to “${pName}”.` })).toBeVisible();
  await expect(priority.locator("option:checked")).toHaveText(pName);

  // a: the same row's assignee.
  await page.keyboard.press("Escape");
  await page.keyboard.press("a");
  const assignee = row.locator('[data-triage="assigneeId"]');
  await expect(assignee).toBeFocused();
  const [aKey, aName] = await letterFor(assignee, "Keith Elwin", "Roger Sharpe");
  await page.keyboard.press(aKey);
  await expect(row.getByRole("status").filter({ hasText: `Assigned to ${aName}.` })).toBeVisible();
  await expect(assignee.locator("option:checked")).toHaveText(aName);
  await expect(assignee).toBeFocused();

  expect(await page.evaluate(() => (window as unknown as { listMarker?: number }).listMarker)).toBe(1);
  expect(await axeViolations(page), "/issues after changes").toEqual([]);

  // Saved on the server, and nothing stale: the issue page and the list loaded afresh show the same values.
  await page.goto(href);
  await expect(page.getByLabel("Status").locator("option:checked")).toHaveText("Fixed");
  await expect(page.getByLabel("Priority").locator("option:checked")).toHaveText(pName);
  await expect(page.getByLabel("Assignee").locator("option:checked")).toHaveText(aName);
  await page.goto("/issues?category=closed&sort=updated");
  const again = page.locator("[data-issue-row]").filter({ has: page.locator(`a[href="${href}"]`) });
  await expect(again.locator('[data-triage="statusId"] option:checked')).toHaveText("Fixed");
  await expect(again.locator('[data-triage="priorityId"] option:checked')).toHaveText(pName);
  await expect(again.locator('[data-triage="assigneeId"] option:checked')).toHaveText(aName);
});
