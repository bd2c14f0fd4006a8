/**
 * Which organization a request is for. Order: the subdomain of the Host (`apc.localhost:3000`,
 * `apc.pinpoint.example`), then the `X-Organization` header (local tools, reverse proxies, tests), then
 * DEFAULT_ORG_SUBDOMAIN (default `apc`) so plain http://localhost:3000 shows the default organization.
 */
import { BAD_HOST_MESSAGE, hostPolicyFromEnv, isAllowedHost } from "./allowed-hosts.server";
import { badRequest } from "./errors.server";
import { getDb, type RouteArgs } from "./context.server";
import type { Db } from "../../db/client.server";

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/** The tenant label of a host name, or null when the host names no organization. Pure; unit-tested. */
export function subdomainFromHost(hostHeader: string | null | undefined, baseDomain?: string): string | null {
  if (!hostHeader) return null;
  const host = hostHeader.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  if (!host || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[")) return null;
  let label: string | null = null;
  if (baseDomain) {
    const base = baseDomain.toLowerCase();
    if (host.endsWith(`.${base}`)) label = host.slice(0, -(base.length + 1));
  } else if (host.endsWith(".localhost")) {
    label = host.slice(0, -".localhost".length);
  } else {
    const parts = host.split(".");
    if (parts.length >= 3) label = parts[0];
  }
  if (!label || label.includes(".") || label === "www" || !SUBDOMAIN.test(label)) return null;
  return label;
}

export function requestedSubdomain(request: Request): string {
  const fromHost = subdomainFromHost(request.headers.get("host") ?? new URL(request.url).host, process.env.BASE_DOMAIN);
  if (fromHost) return fromHost;
  const header = request.headers.get("x-organization")?.trim().toLowerCase();
  if (header && SUBDOMAIN.test(header)) return header;
  return (process.env.DEFAULT_ORG_SUBDOMAIN ?? "apc").toLowerCase();
}

export const NO_ORGANIZATION = "There is no organization at this address.";

/**
 * The database and the subdomain of the organization a request is addressed to, for lookups that need no access
 * (a QR scan: app/use-cases/qr.server.ts resolveQrCode). Everything else goes through app/lib/access.server.ts.
 */
export function organizationAddress({ request, context }: RouteArgs): { db: Db; subdomain: string } {
  return { db: getDb(context), subdomain: requestedSubdomain(request) };
}

/**
 * Absolute URL of a path on the current organization's host, for QR codes and shareable links. Admins generate
 * these from the organization's own address, so the request's origin is right; PUBLIC_URL overrides it when a
 * proxy hides the public host. The host is one the server accepted (server/app.ts, app/lib/allowed-hosts.server.ts); it is
 * checked again here so a forged Host can never end up printed on a sticker.
 */
export function absoluteUrl(request: Request, pathname: string): string {
  if (process.env.PUBLIC_URL) return new URL(pathname, process.env.PUBLIC_URL).toString();
  const current = new URL(request.url);
  if (!isAllowedHost(current.host, hostPolicyFromEnv())) badRequest(BAD_HOST_MESSAGE);
  return new URL(pathname, current.origin).toString();
}

/** Builds absolute links (for e-mails) from paths; use cases take one so they never read the request. */
export type LinkTo = (pathname: string) => string;

/** Links on this request's public origin (absoluteUrl: PUBLIC_URL, else the request's accepted host). */
export function linksFor(request: Request): LinkTo {
  return (pathname) => absoluteUrl(request, pathname);
}
