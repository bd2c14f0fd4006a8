/**
 * The reporter's follow page (/follow/<token>) on a phone, with and without JavaScript: the machine (linked), the
 * status in plain words, the public timeline (a status change shows, a member's comment and full name do not), and
 * "E-mail me when it's fixed" (a bad address is refused and kept for correction; a good one is confirmed without
 * being shown back). Plain HTML: no script is loaded.
 */
import { expect, test, type Browser } from "@playwright/test";
import { fitsTheScreen, openMachinePage, phone, reportProblem, signIn, uniqueWord } from "./player";

const MACHINE = "Xenon";

async function followJourney(browser: Browser, javaScriptEnabled: boolean) {
  const word = uniqueWord();
  const title = `Outlane post ${word} loose`;
  const players = await browser.newContext({ ...phone, javaScriptEnabled });
  const player = await players.newPage();
  const scripts: string[] = [];
  player.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  const machinePath = await openMachinePage(player, MACHINE);
  const follow = await reportProblem(player, machinePath, { title });

  // A member moves it on and writes an internal comment.
  const members = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 800 } });
  const page = await members.newPage();
  await signIn(page, "admin@dev.local", `/issues?q=${word}`);
  await page.getByRole("link", { name: title, exact: true }).click();
  await page.getByLabel("Add a comment").fill(`Internal: order part for ${word}.`);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: `Internal: order part for ${word}.` })).toBeVisible();
  await page.getByLabel("Status").selectOption({ label: "In Progress" });
  await expect(page.getByRole("status").filter({ hasText: "Status changed to “In Progress”." })).toBeVisible();

  await player.goto(follow);
  await expect(player.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(player.getByRole("link", { name: MACHINE, exact: true }).first()).toHaveAttribute("href", machinePath);
  const status = player.getByRole("region", { name: "Status" });
  await expect(status).toContainText("In progress");
  await expect(status).toContainText("Someone is working on it");
  const timeline = player.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Problem reported");
  await expect(timeline).toContainText("Status changed to “In Progress”");
  await expect(player.getByText(`Internal: order part for ${word}.`)).toHaveCount(0);
  await expect(player.getByText("Dev Admin")).toHaveCount(0);
  await expect(player.getByText("admin@dev.local")).toHaveCount(0);
  await fitsTheScreen(player);

  // "E-mail me when it's fixed".
  const mail = player.getByRole("region", { name: "E-mail me when it’s fixed" });
  await mail.getByLabel("Your e-mail").fill("not-an-address");
  await mail.getByRole("button", { name: "E-mail me" }).click();
  await expect(player.getByText("Enter a valid email address")).toBeVisible();
  await expect(player.getByLabel("Your e-mail")).toHaveValue("not-an-address");
  await player.getByLabel("Your e-mail").fill(`follower.${word}@example.test`);
  await player.getByRole("button", { name: "E-mail me" }).click();
  await expect(player.getByText("We will e-mail you once when it is fixed.")).toBeVisible();
  await expect(player.getByText(`follower.${word}@example.test`)).toHaveCount(0);
  expect(scripts).toEqual([]);

  await players.close();
  await members.close();
}

test("on a phone without JavaScript: machine, plain words, public timeline, e-mail me when it's fixed", async ({
  browser,
}) => {
  await followJourney(browser, false);
});

test("on a phone with JavaScript: the same page, no script loaded", async ({ browser }) => {
  await followJourney(browser, true);
});
