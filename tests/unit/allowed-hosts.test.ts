import os from "node:os";
import { describe, expect, it } from "vitest";
import { hostPolicy, hostPolicyFromEnv, hostnameOf, isAllowedHost, machineNames } from "~/lib/allowed-hosts.server";

describe("hostnameOf", () => {
  it.each([
    ["apc.localhost:3000", "apc.localhost"],
    ["APC.Pinpoint.Example", "apc.pinpoint.example"],
    ["pinpoint.example.", "pinpoint.example"],
    ["127.0.0.1:8080", "127.0.0.1"],
    ["[::1]:3000", "[::1]"],
    ["[fe80::1]", "[fe80::1]"],
  ])("%s → %s", (host, name) => expect(hostnameOf(host)).toBe(name));

  it.each([
    "",
    "a b",
    "x/y",
    "evil.example/",
    "user@evil.example",
    "evil.example:port",
    "[::1",
    "-x.example",
    "a".repeat(300),
    "é.example",
  ])("%j is not a host", (host) => expect(hostnameOf(host)).toBeNull());
});

describe("isAllowedHost", () => {
  it("with BASE_DOMAIN: the domain and its subdomains only (any port)", () => {
    const policy = hostPolicy({ baseDomain: "pinpoint.example", mode: "production" });
    for (const h of ["pinpoint.example", "apc.pinpoint.example", "apc.pinpoint.example:8443", "APC.PINPOINT.EXAMPLE"])
      expect(isAllowedHost(h, policy), h).toBe(true);
    for (const h of [
      "evil.example",
      "evilpinpoint.example",
      "pinpoint.example.evil.example",
      "localhost",
      "127.0.0.1",
      "",
    ])
      expect(isAllowedHost(h, policy), h).toBe(false);
  });

  it("with PUBLIC_URL: its host name (and BASE_DOMAIN's when both are set)", () => {
    const policy = hostPolicy({ publicUrl: "https://tracker.example/app", mode: "development" });
    expect(isAllowedHost("tracker.example", policy)).toBe(true);
    expect(isAllowedHost("tracker.example:443", policy)).toBe(true);
    expect(isAllowedHost("sub.tracker.example", policy)).toBe(false);
    expect(isAllowedHost("my-laptop.lan", policy)).toBe(false);
    const both = hostPolicy({
      publicUrl: "https://tracker.example",
      baseDomain: "pinpoint.example",
      mode: "production",
    });
    expect(isAllowedHost("tracker.example", both)).toBe(true);
    expect(isAllowedHost("beta.pinpoint.example", both)).toBe(true);
  });

  it("neither set, development and tests: any well-formed host", () => {
    for (const mode of ["development", "test"] as const) {
      const policy = hostPolicy({ mode });
      expect(isAllowedHost("my-laptop.lan:3000", policy)).toBe(true);
      expect(isAllowedHost("a b", policy)).toBe(false);
    }
  });

  it("neither set, production: localhost, *.localhost, loopback and the machine's own names", () => {
    const policy = hostPolicy({ mode: "production", ownNames: ["pinball-pi", "192.168.1.20", "[fe80::1]"] });
    for (const h of [
      "localhost",
      "localhost:3000",
      "apc.localhost:3000",
      "127.0.0.1:3000",
      "127.1.2.3",
      "[::1]:3000",
      "pinball-pi:3000",
      "192.168.1.20:3000",
      "[fe80::1]:3000",
    ]) {
      expect(isAllowedHost(h, policy), h).toBe(true);
    }
    for (const h of ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "192.168.1.21", "[::2]"])
      expect(isAllowedHost(h, policy), h).toBe(false);
  });

  it("from the environment", () => {
    expect(hostPolicyFromEnv({ NODE_ENV: "production" }).kind).toBe("listed");
    expect(hostPolicyFromEnv({ NODE_ENV: "test" }).kind).toBe("any");
    expect(hostPolicyFromEnv({ NODE_ENV: "development", BASE_DOMAIN: "pinpoint.example" })).toMatchObject({
      kind: "listed",
      domains: ["pinpoint.example"],
    });
    expect(hostPolicyFromEnv({ NODE_ENV: "production", PUBLIC_URL: "not a url", HOST: "192.168.1.20" })).toEqual({
      kind: "listed",
      names: ["192.168.1.20"],
      domains: ["localhost"],
      loopback: true,
    });
  });
});

describe("machineNames", () => {
  it("a specific listen address is the only name; listening everywhere adds the host name and interface addresses", () => {
    expect(machineNames("127.0.0.1")).toEqual(["127.0.0.1"]);
    expect(machineNames("::1")).toEqual(["[::1]"]);
    expect(machineNames("Pinball-Pi.local")).toEqual(["pinball-pi.local"]);
    const all = machineNames("0.0.0.0");
    expect(all[0]).toBe(os.hostname().toLowerCase());
    expect(all).toContain("127.0.0.1");
    expect(machineNames(undefined)).toEqual(all);
  });
});
