/**
 * The part of a client's address that stands for one client in limits and counts. IPv4 as is; IPv4-mapped IPv6
 * (::ffff:1.2.3.4, what a dual-stack socket reports) as the IPv4 address; other IPv6 by its /64 prefix, because one
 * home connection or phone usually holds a whole /64 and could otherwise rotate through billions of addresses.
 */
import { isIPv4, isIPv6 } from "node:net";

export function addressKey(ip: string): string {
  const value = ip.trim().toLowerCase();
  if (isIPv4(value)) return value;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  const bare = value.replace(/%.*$/, "");
  if (!isIPv6(bare)) return value.slice(0, 64);
  const [head, tail = ""] = bare.split("::");
  const left = head ? head.split(":") : [];
  const right = bare.includes("::") && tail ? tail.split(":") : [];
  const groups = bare.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
