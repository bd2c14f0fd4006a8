import { describe, expect, it } from "vitest";
import { buildSecurityHeaders, isCrossSiteRequest } from "../../server/security";

describe("buildSecurityHeaders", () => {
  const prod = buildSecurityHeaders({ nonce: "abc123", dev: false, https: false });

  it("enforces a nonce-based CSP with the locked-down directives", () => {
    const csp = prod["Content-Security-Policy"];
    expect(csp).toContain("script-src 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("ws://");
  });

  it("sets the other hardening headers", () => {
    expect(prod["X-Content-Type-Options"]).toBe("nosniff");
    expect(prod["X-Frame-Options"]).toBe("DENY");
    expect(prod["Cross-Origin-Opener-Policy"]).toBe("same-origin");
    expect(prod["Permissions-Policy"]).toContain("camera=()");
  });

  it("uses a referrer policy that keeps Origin on same-origin posts (not no-referrer)", () => {
    expect(prod["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("sends HSTS only over HTTPS", () => {
    expect(prod["Strict-Transport-Security"]).toBeUndefined();
    expect(buildSecurityHeaders({ nonce: "n", dev: false, https: true })["Strict-Transport-Security"]).toMatch(
      /max-age=31536000/,
    );
  });

  it("allows the live-reload socket only in development", () => {
    expect(buildSecurityHeaders({ nonce: "n", dev: true, https: false })["Content-Security-Policy"]).toContain(
      "ws://localhost:*",
    );
  });
});

describe("isCrossSiteRequest", () => {
  const host = "apc.pinpoint.test:3000";
  const check = (method: string, headers: Record<string, string>, h = host) =>
    isCrossSiteRequest({ method, headers, host: h });

  it("never blocks safe methods", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) expect(check(m, { origin: "https://evil.example" })).toBe(false);
  });

  it("allows a same-origin POST (http or https scheme, same host and port)", () => {
    expect(check("POST", { origin: "http://apc.pinpoint.test:3000" })).toBe(false);
    expect(check("POST", { origin: "https://APC.pinpoint.test:3000" })).toBe(false);
  });

  it("blocks a foreign Origin on every unsafe method", () => {
    for (const m of ["POST", "PUT", "PATCH", "DELETE"]) expect(check(m, { origin: "https://evil.example" })).toBe(true);
  });

  it("blocks a sibling tenant subdomain and a different port", () => {
    expect(check("POST", { origin: "http://beta.pinpoint.test:3000" })).toBe(true);
    expect(check("POST", { origin: "http://apc.pinpoint.test:4000" })).toBe(true);
    expect(check("POST", { origin: "http://apc.pinpoint.test" })).toBe(true);
  });

  it("treats Origin: null, an empty and an unparseable Origin as foreign", () => {
    expect(check("POST", { origin: "null" })).toBe(true);
    expect(check("POST", { origin: "" })).toBe(true);
    expect(check("POST", { origin: "not a url" })).toBe(true);
  });

  it("falls back to Referer when there is no Origin", () => {
    expect(check("POST", { referer: "http://apc.pinpoint.test:3000/admin/members" })).toBe(false);
    expect(check("POST", { referer: "https://evil.example/page" })).toBe(true);
    expect(check("POST", { referer: "garbage" })).toBe(true);
  });

  it("falls back to Sec-Fetch-Site when there is neither Origin nor Referer", () => {
    expect(check("POST", { "sec-fetch-site": "same-origin" })).toBe(false);
    expect(check("POST", { "sec-fetch-site": "none" })).toBe(false);
    expect(check("POST", { "sec-fetch-site": "same-site" })).toBe(true);
    expect(check("POST", { "sec-fetch-site": "cross-site" })).toBe(true);
  });

  it("lets non-browser clients (no Origin, Referer or Sec-Fetch-Site) through: they carry no victim cookies", () => {
    expect(check("POST", {})).toBe(false);
  });

  it("accepts extra configured origins", () => {
    expect(
      isCrossSiteRequest({
        method: "POST",
        headers: { origin: "https://pinpoint.example" },
        host: "internal:3000",
        allowedOrigins: ["https://pinpoint.example"],
      }),
    ).toBe(false);
  });

  describe("with the request's scheme: scheme, host and port must all match", () => {
    const withScheme = (scheme: string, headers: Record<string, string>, h = "apc.localhost:3000") =>
      isCrossSiteRequest({ method: "POST", headers, host: h, scheme });

    it("an https Origin on a plain-http request is foreign, and the reverse", () => {
      expect(withScheme("http", { origin: "https://apc.localhost:3000" })).toBe(true);
      expect(withScheme("http", { origin: "http://apc.localhost:3000" })).toBe(false);
      expect(withScheme("https", { origin: "http://apc.pinpoint.example" }, "apc.pinpoint.example")).toBe(true);
      expect(withScheme("https", { origin: "https://apc.pinpoint.example" }, "apc.pinpoint.example")).toBe(false);
    });

    it("default ports are the same origin with or without the port", () => {
      expect(withScheme("https", { origin: "https://apc.pinpoint.example" }, "apc.pinpoint.example:443")).toBe(false);
      expect(withScheme("http", { origin: "http://apc.localhost:80" }, "apc.localhost")).toBe(false);
      expect(withScheme("https", { origin: "https://apc.pinpoint.example:8443" }, "apc.pinpoint.example")).toBe(true);
    });

    it("the Referer fallback compares the scheme too", () => {
      expect(withScheme("https", { referer: "http://apc.localhost:3000/login" })).toBe(true);
      expect(withScheme("https", { referer: "https://apc.localhost:3000/login" })).toBe(false);
    });

    it("non-http(s) origins are foreign", () => {
      expect(withScheme("http", { origin: "ftp://apc.localhost:3000" })).toBe(true);
      expect(withScheme("http", { origin: "file://" })).toBe(true);
    });

    it("extra configured origins are compared in full (scheme included)", () => {
      const check = (origin: string) =>
        isCrossSiteRequest({
          method: "POST",
          headers: { origin },
          host: "internal:3000",
          scheme: "http",
          allowedOrigins: ["https://pinpoint.example"],
        });
      expect(check("https://pinpoint.example")).toBe(false);
      expect(check("http://pinpoint.example")).toBe(true);
    });
  });
});
