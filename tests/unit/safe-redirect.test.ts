/* eslint-disable no-script-url -- javascript: URLs are among the refused inputs under test */
import { describe, expect, it } from "vitest";
import { safeRedirect, sameSitePath } from "~/lib/safe-redirect";

/** Where a browser ends up when it follows `location` from one of our pages. */
const browserOrigin = (location: string) => new URL(location, "https://apc.pinpoint.example/login").origin;

describe("safeRedirect", () => {
  it.each([
    // Control characters that browsers drop, in front of a second slash or backslash.
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\u0000/evil.example",
    "/\u001b/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "/\t\\evil.example",
    // Scheme-relative and backslash forms.
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/a\\b",
    // Paths that normalise to "//host".
    "/..//evil.example",
    "/.//evil.example",
    "/x/../..//evil.example",
    "/%2e%2e//evil.example",
    // Absolute URLs and other schemes.
    "https://evil.example",
    "HTTPS://evil.example/",
    "http:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jav\tascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    // Not a path at all.
    "%2F%2Fevil.example",
    "evil.example",
    " //evil.example",
    "\u00a0//evil.example",
    "／／evil.example",
    "",
    "/" + "a".repeat(3000),
  ])("refuses %j", (value) => {
    expect(sameSitePath(value)).toBeNull();
    expect(safeRedirect(value)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/issues", "/issues"],
    ["/issues?status=open&sort=updated#top", "/issues?status=open&sort=updated#top"],
    ["/machines?q=Addams Family", "/machines?q=Addams%20Family"],
    ["/é☃", "/%C3%A9%E2%98%83"],
    ["/machines?q=é☃#ñ", "/machines?q=%C3%A9%E2%98%83#%C3%B1"],
    ["/x\r\nSet-Cookie: a=b", "/xSet-Cookie:%20a=b"],
    ["/a/../b", "/b"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/\u202egnp", "/%E2%80%AEgnp"],
    ["/\ud800", "/%EF%BF%BD"],
  ])("keeps the same-site path %j as %j", (value, expected) => {
    expect(safeRedirect(value)).toBe(expected);
  });

  it("every answer stays on the site and is a valid header value (printable ASCII)", () => {
    const inputs = ["/\t/evil", "/é", "/\r\n", "//x", "/..//x", "/ok", '/?a=<b>&c="d"', "/#`x`"];
    for (const value of inputs) {
      const out = safeRedirect(value);
      expect(browserOrigin(out), value).toBe("https://apc.pinpoint.example");
      expect(out, value).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
    }
  });

  it("non-strings and a custom fallback", () => {
    for (const value of [null, undefined, 42, {}, ["/x"], new File([], "x")]) expect(safeRedirect(value)).toBe("/");
    expect(safeRedirect("//evil.example", "/account")).toBe("/account");
  });
});
