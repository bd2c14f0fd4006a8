/**
 * RFC 8058 one-click unsubscribe: mail clients POST exactly `List-Unsubscribe=One-Click`, from their own origin or
 * none. server/app.ts lets a cross-site POST reach the two unsubscribe routes only (server/security.ts
 * ONE_CLICK_UNSUBSCRIBE_PATH) and marks it `crossSite`; the routes then accept nothing else from another site.
 */
import { fail } from "../../core/failure";

/** Refuses a cross-site POST whose body is anything but the one-click form. */
export function requireOneClickIfCrossSite(crossSite: unknown, form: Record<string, unknown>): void {
  if (crossSite !== true) return;
  const keys = Object.keys(form);
  if (keys.length !== 1 || form["List-Unsubscribe"] !== "One-Click")
    throw fail.forbidden("This request came from another site and was refused.");
}
