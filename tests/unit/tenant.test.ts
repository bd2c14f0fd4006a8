import { afterEach, describe, expect, it } from "vitest";
import { requestedSubdomain, subdomainFromHost } from "~/lib/tenant.server";

describe("subdomainFromHost", () => {
  it.each([
    ["apc.localhost:3000", "apc"],
    ["APC.localhost", "apc"],
    ["beta.localhost.", "beta"],
    ["apc.pinpoint.example", "apc"],
    ["apc.pinpoint.example:443", "apc"],
    ["a-b-1.pinpoint.example", "a-b-1"],
  ])("%s → %s", (host, expected) => {
    expect(subdomainFromHost(host)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [""],
    ["localhost"],
    ["localhost:3000"],
    ["127.0.0.1:3000"],
    ["10.0.0.7"],
    ["[::1]:3000"],
    ["pinpoint.example"],
    ["www.pinpoint.example"],
    ["a.b.localhost"],
    ["-apc.localhost"],
    ["apc-.localhost"],
    ["ap_c.localhost"],
  ])("%s names no organization", (host) => {
    expect(subdomainFromHost(host as string | null | undefined)).toBeNull();
  });

  it("with a base domain, only its direct subdomains count", () => {
    expect(subdomainFromHost("apc.pinball.club", "pinball.club")).toBe("apc");
    expect(subdomainFromHost("pinball.club", "pinball.club")).toBeNull();
    expect(subdomainFromHost("x.apc.pinball.club", "pinball.club")).toBeNull();
    expect(subdomainFromHost("apc.other.club", "pinball.club")).toBeNull();
    expect(subdomainFromHost("www.pinball.club", "pinball.club")).toBeNull();
  });

  it("rejects labels longer than 50 characters", () => {
    expect(subdomainFromHost(`${"a".repeat(50)}.localhost`)).toBe("a".repeat(50));
    expect(subdomainFromHost(`${"a".repeat(51)}.localhost`)).toBeNull();
  });
});

describe("requestedSubdomain", () => {
  const saved = { base: process.env.BASE_DOMAIN, def: process.env.DEFAULT_ORG_SUBDOMAIN };
  afterEach(() => {
    process.env.BASE_DOMAIN = saved.base;
    process.env.DEFAULT_ORG_SUBDOMAIN = saved.def;
    if (saved.base === undefined) delete process.env.BASE_DOMAIN;
    if (saved.def === undefined) delete process.env.DEFAULT_ORG_SUBDOMAIN;
  });
  const req = (host: string, headers: Record<string, string> = {}) =>
    new Request(`http://${host}/`, { headers: { host, ...headers } });

  it("prefers the host's subdomain over the X-Organization header", () => {
    expect(requestedSubdomain(req("apc.localhost:3000", { "x-organization": "beta" }))).toBe("apc");
  });

  it("uses X-Organization when the host names none, and ignores malformed values", () => {
    expect(requestedSubdomain(req("127.0.0.1:3000", { "x-organization": "Beta" }))).toBe("beta");
    delete process.env.DEFAULT_ORG_SUBDOMAIN;
    expect(requestedSubdomain(req("127.0.0.1:3000", { "x-organization": "../etc" }))).toBe("apc");
  });

  it("falls back to DEFAULT_ORG_SUBDOMAIN, else apc", () => {
    delete process.env.DEFAULT_ORG_SUBDOMAIN;
    expect(requestedSubdomain(req("localhost:3000"))).toBe("apc");
    process.env.DEFAULT_ORG_SUBDOMAIN = "beta";
    expect(requestedSubdomain(req("localhost:3000"))).toBe("beta");
  });
});
