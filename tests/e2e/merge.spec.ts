/**
 * Merging duplicates (docs/decisions/039-merging-duplicates.md) on a phone, with and without JavaScript: two players
 * report the same problem (the second is asked "Is it one of these?" and sends it anyway); a member merges the second
 * into the first; both pages say so and link each other, the first shows the duplicate's comment, the second
 * reporter's follow page says it was merged; "Unmerge" puts it back.
 */
import { expect, test, type Browser } from "@playwright/test";
import { openMachinePage, phone, reportProblem, signIn, uniqueWord } from "./player";

const MACHINE = "Cleopatra";

async function mergeJourney(browser: Browser, javaScriptEnabled: boolean) {
  const word = uniqueWord();
  const titleA = `Ramp gate ${word} stays open`;
  const titleB = `Ramp gate ${word} stays open all the time`;

  const players = await browser.newContext({ ...phone, javaScriptEnabled });
  const player = await players.newPage();
  const machinePath = await openMachinePage(player, MACHINE);
  await reportProblem(player, machinePath, { title: titleA });
  const followB = await reportProblem(
    player,
    machinePath,
    { title: titleB, email: `b.${word}@example.test` },
    { expectGuard: titleA },
  );

  const members = await browser.newContext({ ...phone, javaScriptEnabled });
  const page = await members.newPage();
  await signIn(page, "member@dev.local", `/issues?q=${word}`);
  await page.getByRole("link", { name: titleB, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: titleB })).toBeVisible();
  const pathB = new URL(page.url()).pathname;
  await page.getByLabel("Add a comment").fill(`Seen on the second report ${word}.`);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: `Seen on the second report ${word}.` })).toBeVisible();

  // Merge B into A.
  await page.getByText("Merge into another issue").click();
  const target = page.getByLabel("Same problem as");
  await target.selectOption({ label: (await target.locator("option", { hasText: titleA }).textContent())! });
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  const notice = page.getByRole("region", { name: "Merged as a duplicate" });
  await expect(notice).toBeVisible();
  await expect(page.getByText(`Merged into “${titleA}”.`)).toBeVisible();
  await expect(page.getByText(`merged this issue into “${titleA}” as a duplicate`)).toBeVisible();
  await expect(page.getByText("Closed · Duplicate")).toBeVisible();

  // A shows the duplicate, its comment, and the merge on its timeline.
  await notice.getByRole("link", { name: titleA }).click();
  await expect(page.getByRole("heading", { level: 1, name: titleA })).toBeVisible();
  const duplicates = page.getByRole("region", { name: "Merged duplicates" });
  await expect(duplicates.getByRole("link", { name: titleB })).toBeVisible();
  await expect(duplicates.getByText(`Seen on the second report ${word}.`)).toBeVisible();
  await expect(page.getByText(`merged the duplicate “${titleB}” into this issue`)).toBeVisible();

  // B's reporter: their follow page says where it went, without naming it.
  await player.goto(followB);
  await expect(player.getByText("Someone else reported the same problem")).toBeVisible();
  await expect(player.getByText(titleA, { exact: true })).toHaveCount(0);

  // Unmerge from B: open again, no longer on A.
  await page.goto(pathB);
  await page.getByRole("button", { name: "Unmerge" }).click();
  await expect(page.getByText(/Split off “.+” again; this issue is “.+”\./)).toBeVisible();
  await expect(page.getByRole("region", { name: "Merged as a duplicate" })).toHaveCount(0);
  await expect(page.getByText(`split this issue off “${titleA}” again`)).toBeVisible();
  await page.goto(`/issues?q=${word}`);
  await page.getByRole("link", { name: titleA, exact: true }).click();
  await expect(page.getByRole("region", { name: "Merged duplicates" })).toHaveCount(0);

  await players.close();
  await members.close();
}

test("on a phone without JavaScript: report twice, merge, see it on both sides, unmerge", async ({ browser }) => {
  await mergeJourney(browser, false);
});

test("on a phone with JavaScript: the same journey", async ({ browser }) => {
  await mergeJourney(browser, true);
});
