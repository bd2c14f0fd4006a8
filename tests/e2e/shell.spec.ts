import { expect, test } from "@playwright/test";

test.describe("application shell", () => {
  test("home page renders with security headers, a per-request nonce and no CSP violations", async ({
    page,
    request,
  }) => {
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeAttached();
    await expect(page.getByRole("main")).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);

    const a = (await request.get("/")).headers()["content-security-policy"];
    const b = (await request.get("/")).headers()["content-security-policy"];
    expect(a.match(/nonce-([^']+)/)?.[1]).not.toEqual(b.match(/nonce-([^']+)/)?.[1]);
  });

  test("static files and redirects carry the headers too", async ({ request }) => {
    const css = await request.get("/favicon.svg");
    expect(css.headers()["x-content-type-options"]).toBe("nosniff");
    const redirect = await request.get("/logout", { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    expect(redirect.headers()["content-security-policy"]).toBeTruthy();
  });

  test("unknown pages show a friendly 404 without a stack trace", async ({ page }) => {
    const response = await page.goto("/this-page-does-not-exist");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    const html = await page.content();
    expect(html).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  test("health check answers 200 with the database state", async ({ request }) => {
    const res = await request.get("/healthz");
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "healthy" });
  });
});
