import { expect, test } from "@playwright/test";

/**
 * An admin groups machines by hand (with JavaScript: client-side navigation and form submissions), then a visitor
 * finds them on the public collection page. The Pinball Map page loads without asking Pinball Map anything.
 */
test("an admin creates a room, picks its machines, and visitors see it", async ({ page, browser }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto("/login?redirectTo=/admin");
  await page.getByLabel("Email").fill("admin@dev.local");
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('main a[href="/admin/pinballmap"]').click();
  await expect(page.getByRole("heading", { name: "Pinball Map sync" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Integration" })).toBeVisible();

  await page.goBack();
  await page.locator('main a[href="/admin/collections"]').click();
  await expect(page.getByRole("heading", { name: "Collection types" })).toBeVisible();

  const room = `Corner ${Date.now() % 100000}`;
  const form = page.locator("form", { has: page.getByRole("button", { name: "Create collection" }) });
  await form.getByLabel("Name").fill(room);
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByRole("status")).toContainText(`Collection “${room}” created.`);

  // The same name again is refused beside the name field, and what was typed stays.
  await form.getByLabel("Description (optional)").fill("Kept after the error");
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(form.getByText("A collection with that name already exists here.")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Description (optional)")).toHaveValue("Kept after the error");

  await page.getByRole("link", { name: room }).click();
  await expect(page.getByRole("heading", { name: room, level: 1 })).toBeVisible();
  const boxes = page.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("button", { name: "Save machines" }).click();
  await expect(page.getByRole("status")).toContainText("Machines saved: 2 added, 0 removed.");

  const visitor = await browser.newPage();
  await visitor.goto("/collections");
  await visitor.getByRole("link", { name: new RegExp(room) }).click();
  await expect(visitor.getByRole("heading", { name: room })).toBeVisible();
  await expect(visitor.getByRole("table", { name: `Machines in ${room}` }).getByRole("row")).toHaveCount(3);
  await visitor.close();

  // Clean up: delete the room (the machines stay).
  await page.getByRole("button", { name: `Delete ${room}` }).click();
  await expect(page.getByRole("status")).toContainText(`The collection “${room}” was deleted.`);
  expect(errors).toEqual([]);
});
