import { expect, test, type Page } from "@playwright/test";
import { ALL_PERMISSION_NAMES } from "../../core/permissions";

const PASSWORD = "dev-login-123";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

test.describe("sign-in and admin access", () => {
  test("a wrong password shows one clear error tied to the form", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("admin@dev.local");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("do not match an account");
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  });

  test("an admin sees the admin pages: hub, members (with Dev Member) and roles", async ({ page }) => {
    await signIn(page, "admin@dev.local");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();

    const sections = page.getByRole("navigation", { name: "Admin sections" });
    await sections.getByRole("link", { name: /Members/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
    const table = page.getByRole("region", { name: "All members" }).getByRole("table");
    await expect(table.getByRole("row", { name: /Dev Member/ })).toBeVisible();
    await expect(table.getByRole("row", { name: /Dev Member/ }).getByLabel("Role of Dev Member")).toHaveValue(/.+/);

    await page.goto("/admin/roles");
    await expect(page.getByRole("heading", { level: 1, name: /Roles/ })).toBeVisible();
    await page.getByRole("region", { name: "Roles" }).getByRole("link", { name: "Admin", exact: true }).click();
    await expect(page.getByText("The Admin role is built in")).toBeVisible();
    // Its permission boxes, one per permission of the catalogue, are all ticked and cannot be changed.
    const boxes = page.getByRole("checkbox");
    expect(await boxes.count()).toBe(ALL_PERMISSION_NAMES.length);
    for (const box of await boxes.all()) {
      await expect(box).toBeChecked();
      await expect(box).toBeDisabled();
    }

    await signOut(page);
    const res = await page.goto("/admin/members");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fmembers/);
    expect(res?.status()).toBe(200);
  });

  test("an admin can create a role and tick permissions (dependencies are added)", async ({ page }) => {
    await signIn(page, "admin@dev.local");
    await page.goto("/admin/roles");
    await page.getByLabel("Name").fill("E2E Technician");
    await page.getByLabel("Start from").selectOption("blank");
    await page.getByRole("button", { name: "Create role" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "E2E Technician" })).toBeVisible();
    await page.getByLabel("Edit machines, their owner and location, and (re)generate QR codes").check();
    // Ticking a permission ticks what it needs.
    await expect(page.getByLabel("View machines", { exact: true })).toBeChecked();
    await page.getByRole("button", { name: "Save permissions" }).click();
    await expect(page.getByRole("status")).toContainText("Permissions saved");
    await page.reload();
    await expect(page.getByLabel("View machines", { exact: true })).toBeChecked();

    await page.getByRole("button", { name: "Delete role" }).click();
    await expect(page).toHaveURL(/\/admin\/roles\?deleted=/);
    await expect(page.getByRole("status")).toContainText("E2E Technician");
    await signOut(page);
  });

  test("an admin invites by link; the invited person creates their account on that page and joins; the link then is dead", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin@dev.local");
    await page.goto("/admin/members");
    const invite = page.getByRole("region", { name: "Invite a member" });
    await invite.getByLabel("Email").fill("e2e.invitee@example.test");
    await invite.getByLabel("Role").selectOption({ label: "Member" });
    await invite.getByRole("button", { name: "Invite" }).click();
    const linkBox = page.getByLabel("Copy this link now and send it to e2e.invitee@example.test");
    await expect(linkBox).toBeVisible();
    const link = await linkBox.inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await expect(
      page
        .getByRole("region", { name: "Pending invitations" })
        .getByRole("row", { name: /e2e\.invitee@example\.test/ }),
    ).toBeVisible();
    await signOut(page);

    // The invited person, in their own browser, without an account.
    const context = await browser.newContext();
    const invitee = await context.newPage();
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { level: 1, name: /Join Austin Pinball Collective/ })).toBeVisible();
    await expect(invitee.getByText("as Member")).toBeVisible();
    await invitee.getByLabel("Name").fill("E2E Invitee");
    await invitee.getByLabel("Password", { exact: true }).fill("an e2e passphrase 42");
    await invitee.getByLabel("Repeat password").fill("an e2e passphrase 42");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee.getByRole("button", { name: "Sign out" })).toBeVisible();
    await invitee.goto("/issues");
    await expect(invitee.getByRole("heading", { level: 1 })).toBeVisible();
    const again = await invitee.goto(new URL(link).pathname);
    expect(again?.status()).toBe(410);
    await expect(invitee.getByText("no longer works")).toBeVisible();
    await context.close();
  });

  test("the Unauthenticated role offers only the public permissions", async ({ page }) => {
    await signIn(page, "admin@dev.local");
    await page.goto("/admin/roles");
    await page
      .getByRole("region", { name: "Roles" })
      .getByRole("link", { name: "Unauthenticated", exact: true })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Unauthenticated" })).toBeVisible();
    await expect(page.getByRole("checkbox")).toHaveCount(6);
    await expect(page.getByLabel("Invite and remove members and change their roles")).toHaveCount(0);
    await signOut(page);
  });

  test("a member has no Admin link and gets the 403 page on /admin/members", async ({ page }) => {
    await signIn(page, "member@dev.local");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    const res = await page.goto("/admin/members");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByText("dev.local")).toHaveCount(0);
    await signOut(page);
  });
});
