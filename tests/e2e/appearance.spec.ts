/**
 * What the browser actually renders on the public machine page (/m/<id>), in the light and the dark colour scheme:
 * links inside running text are underlined (told apart from the text by more than colour), and every piece of text
 * has at least WCAG AA contrast (4.5:1, 3:1 for large text) against the background it is drawn on.
 */
import { expect, test, type Page } from "@playwright/test";

async function openMachinePage(page: Page): Promise<void> {
  await page.goto("/report");
  const href = await page.locator('a[href^="/m/"]').first().getAttribute("href");
  expect(href).toMatch(/^\/m\/[a-z0-9]+$/);
  await page.goto(href!);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

/**
 * Links whose block (paragraph, list item, cell) holds text that is not a link (what the accessibility check
 * "link-in-text-block" looks at), and whether each is underlined. Navigation bars hold only links.
 */
function linksInText(page: Page) {
  return page.evaluate(() => {
    const blockOf = (el: Element): Element => {
      let node: Element | null = el.parentElement;
      while (node && getComputedStyle(node).display.startsWith("inline")) node = node.parentElement;
      return node ?? document.body;
    };
    const plainText = (block: Element) => {
      const copy = block.cloneNode(true) as Element;
      for (const link of copy.querySelectorAll("a, button")) link.remove();
      return (copy.textContent ?? "").replace(/\s+/g, "");
    };
    return [...document.querySelectorAll("a[href]")]
      .filter((a) => (a as HTMLElement).offsetParent !== null)
      .filter((a) => plainText(blockOf(a)).length > 0)
      .map((a) => ({
        text: (a.textContent ?? "").trim(),
        underlined: getComputedStyle(a).textDecorationLine.includes("underline"),
      }));
  });
}

/** Text elements whose colour does not reach AA contrast against the nearest painted background. */
function lowContrastText(page: Page) {
  return page.evaluate(() => {
    const rgba = (value: string) => {
      const m = value.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null) => {
      for (let node = el; node; node = node.parentElement) {
        const c = rgba(getComputedStyle(node).backgroundColor);
        if (c.a > 0) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const problems: string[] = [];
    let checked = 0;
    for (const el of document.querySelectorAll("body *")) {
      const html = el as HTMLElement;
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!ownText || html.offsetParent === null || html.closest("[disabled], .sr-only, .sr-only-focusable")) continue;
      const style = getComputedStyle(el);
      const fg = luminance(rgba(style.color));
      const bg = luminance(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      checked++;
      if (ratio < (large ? 3 : 4.5))
        problems.push(`${ratio.toFixed(2)} "${(el.textContent ?? "").trim().slice(0, 40)}"`);
    }
    return { checked, problems, body: luminance(background(document.body)) };
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`public machine page (${colorScheme}): links in text are underlined, all text has AA contrast`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await openMachinePage(page);

    const links = await linksInText(page);
    // The footer's Pinball Map credit and "Report a different machine" at least.
    expect(links.length).toBeGreaterThanOrEqual(2);
    expect(links.filter((l) => !l.underlined)).toEqual([]);

    const contrast = await lowContrastText(page);
    expect(contrast.checked).toBeGreaterThan(10);
    expect(contrast.problems).toEqual([]);
    // The scheme really applies: a dark page in the dark scheme, a light one otherwise.
    if (colorScheme === "dark") expect(contrast.body).toBeLessThan(0.05);
    else expect(contrast.body).toBeGreaterThan(0.9);
  });
}
