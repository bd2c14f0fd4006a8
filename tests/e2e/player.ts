/**
 * Steps the issue-19 specs share (a player on a phone, a member signing in), written as a person does them: through
 * the pages, never through the database.
 */
import { devices, expect, type Page } from "@playwright/test";

const { defaultBrowserType: _ignored, ...iPhone13 } = devices["iPhone 13"];

/** A phone, for `test.use({ ...phone, javaScriptEnabled })`. */
export const phone = iPhone13;

/** A word no demo issue holds, so each run's reports are found by it alone. */
export function uniqueWord(): string {
  return `zq${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, "x")}`;
}

/** The machine's public page (where its QR code leads), reached like a player: the /report picker's search. */
export async function openMachinePage(page: Page, machine: string): Promise<string> {
  await page.goto(`/report?q=${encodeURIComponent(machine)}`);
  await page
    .getByRole("link", { name: new RegExp(`^${machine.replace(/[()]/g, "\\$&")}`) })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: machine })).toBeVisible();
  return new URL(page.url()).pathname;
}

/**
 * Reports a problem from the machine page and answers the follow page's path. When the report resembles a known
 * problem ("Is it one of these?"), the player says it is something new; `expectGuard` says that question must come.
 */
export async function reportProblem(
  page: Page,
  machinePath: string,
  report: { title: string; details?: string; email?: string },
  opts: { expectGuard?: string } = {},
): Promise<string> {
  await page.goto(machinePath);
  const form = page.getByRole("region", { name: "Report a problem" });
  await form.getByLabel("What’s wrong?").fill(report.title);
  if (report.details) await form.getByLabel("Details (optional)").fill(report.details);
  if (report.email) await form.getByLabel("Your email (optional)").fill(report.email);
  await form.getByRole("button", { name: "Send report" }).click();
  const guard = page.getByRole("region", { name: "Is it one of these?" });
  const followed = page.waitForURL(/\/follow\/[^/?]+\?new=1$/);
  if (opts.expectGuard) {
    await expect(guard).toBeVisible();
    await expect(guard.getByRole("listitem").filter({ hasText: opts.expectGuard })).toBeVisible();
  }
  // The report may resemble a demo issue of the machine: then it is something new.
  await Promise.race([followed, guard.waitFor({ state: "visible" })]);
  if (await guard.isVisible()) await guard.getByRole("button", { name: /No, it’s something new/ }).click();
  await followed;
  await expect(page.getByRole("heading", { level: 1, name: report.title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** Signs in through the login form (works without JavaScript) and lands on `to`. */
export async function signIn(page: Page, email: string, to: string): Promise<void> {
  await page.goto(`/login?redirectTo=${encodeURIComponent(to)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("dev-login-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Nothing on the page is wider than the phone's screen. */
export async function fitsTheScreen(page: Page): Promise<void> {
  const viewport = page.viewportSize()!;
  const main = await page.getByRole("main").boundingBox();
  expect(main!.x).toBeGreaterThanOrEqual(0);
  expect(main!.x + main!.width).toBeLessThanOrEqual(viewport.width);
}
