/**
 * Which Host headers PinPoint answers. The host flows into QR codes and absolute links (app/lib/tenant.server.ts
 * absoluteUrl), so a forged Host must never be echoed: server/app.ts refuses other hosts with 400 before any route
 * runs, and absoluteUrl checks again. The rules (README "Configuration"):
 * - PUBLIC_URL and/or BASE_DOMAIN set: PUBLIC_URL's host name, BASE_DOMAIN and its subdomains; nothing else.
 * - Neither set, in development and tests: any well-formed host (zero configuration).
 * - Neither set, in production: localhost, *.localhost, loopback addresses (127.0.0.0/8, ::1) and the names of the
 *   machine the server listens on (its listen address, or its host name and interface addresses when it listens on
 *   all of them), so a bare `npm start` works on the machine and on the local network.
 * Ports are not part of the rule (a proxy or a development port may add one). Unit-tested.
 */
import os from "node:os";

export type HostPolicy =
  { kind: "any" } | { kind: "listed"; names: readonly string[]; domains: readonly string[]; loopback: boolean };

export interface HostPolicyInput {
  publicUrl?: string;
  baseDomain?: string;
  mode: "production" | "development" | "test";
  /** Names of this machine that count as its own in production without configuration. */
  ownNames?: readonly string[];
}

/** The policy for this configuration. */
export function hostPolicy(input: HostPolicyInput): HostPolicy {
  const names: string[] = [];
  const domains: string[] = [];
  const publicHost = input.publicUrl ? hostnameOfUrl(input.publicUrl) : null;
  if (publicHost) names.push(publicHost);
  const base = input.baseDomain
    ?.trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, "");
  if (base) domains.push(base);
  if (names.length || domains.length) return { kind: "listed", names, domains, loopback: false };
  if (input.mode !== "production") return { kind: "any" };
  return {
    kind: "listed",
    names: (input.ownNames ?? []).map((n) => n.toLowerCase()),
    domains: ["localhost"],
    loopback: true,
  };
}

/** The policy from process.env (PUBLIC_URL, BASE_DOMAIN, NODE_ENV, HOST: see machineNames). */
export function hostPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): HostPolicy {
  const mode = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  return hostPolicy({
    publicUrl: env.PUBLIC_URL || undefined,
    baseDomain: env.BASE_DOMAIN || undefined,
    mode,
    ownNames: machineNames(env.HOST),
  });
}

/**
 * Names this machine answers to without configuration in production: the listen address (HOST), or, when the server
 * listens on every interface (the default), the machine's host name and the addresses of its interfaces.
 */
export function machineNames(listenHost: string | undefined): string[] {
  const bracket = (address: string) => (address.includes(":") ? `[${address}]` : address);
  if (listenHost && !["0.0.0.0", "::", "[::]"].includes(listenHost))
    return [bracket(listenHost.replace(/^\[|\]$/g, "")).toLowerCase()];
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .map((i) => i?.address.replace(/%.*$/, ""))
    .filter((a): a is string => Boolean(a));
  return [os.hostname(), ...addresses.map(bracket)].map((n) => n.toLowerCase());
}

/** `name[:port]`: a DNS name or IPv4 address, or a bracketed IPv6 address. Anything else is not a host. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?)(?::\d{1,5})?$/i;

/** The lower-case host name of a Host header value without its port (and without a final dot), or null. */
export function hostnameOf(host: string | null | undefined): string | null {
  if (!host || host.length > 255 || !HOST.test(host)) return null;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  return name.toLowerCase().replace(/\.$/, "");
}

function hostnameOfUrl(value: string): string | null {
  try {
    return new URL(value).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

function isLoopback(name: string): boolean {
  return name === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** True when a request addressed to `host` (a Host header value) may be answered. */
export function isAllowedHost(host: string | null | undefined, policy: HostPolicy): boolean {
  const name = hostnameOf(host);
  if (!name) return false;
  if (policy.kind === "any") return true;
  if (policy.loopback && isLoopback(name)) return true;
  if (policy.names.includes(name)) return true;
  return policy.domains.some((d) => name === d || name.endsWith(`.${d}`));
}

export const BAD_HOST_MESSAGE = "Bad request: this server does not answer for that host name.";
