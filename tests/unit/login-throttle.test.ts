import { describe, expect, it } from "vitest";
import { addressKey } from "~/lib/client-address";
import { SLOW_DOWN_MAX_MS, slowDownMs } from "~/lib/login-throttle.server";

describe("sign-in slow-down for an account with many failures", () => {
  it("waits nothing below the threshold, then 250 ms doubling per failure, never more than 2 s", () => {
    expect([0, 5, 9].map((n) => slowDownMs(n, 10))).toEqual([0, 0, 0]);
    expect([10, 11, 12, 13, 14, 15, 100, 1e9].map((n) => slowDownMs(n, 10))).toEqual([
      250, 500, 1000, 2000, 2000, 2000, 2000, 2000,
    ]);
    expect(SLOW_DOWN_MAX_MS).toBe(2000);
  });
});

describe("addressKey: one client, one key", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6 and groups IPv6 by /64", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:0:1::5")).toBe("2001:db8:0:1::/64");
    expect(addressKey("2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(addressKey("2001:db8::1")).toBe(addressKey("2001:db8:0:0:ffff::2"));
    expect(addressKey("2001:db8:0:2::1")).not.toBe(addressKey("2001:db8:0:1::1"));
    expect(addressKey("unknown")).toBe("unknown");
  });
});
