/** The invitation link right after it was made: the only time it can be seen (only its hash is stored). */
import { useId } from "react";
import type { ActionResult } from "~/lib/action-result";

export interface ShownLink {
  url: string;
  email: string;
  expiresAt: string;
}

/** The link a successful invite or "Create a new link" answered with, if any. */
export function shownLinkOf(result: ActionResult | undefined): ShownLink | undefined {
  if (!result?.ok || !("link" in result)) return undefined;
  const link = result.link;
  if (typeof link !== "object" || link === null || !("url" in link && "email" in link && "expiresAt" in link))
    return undefined;
  const { url, email, expiresAt } = link;
  return typeof url === "string" && typeof email === "string" && typeof expiresAt === "string"
    ? { url, email, expiresAt }
    : undefined;
}

export function InvitationLink({ link }: { link: ShownLink }) {
  const id = useId();
  return (
    <section className="card space-y-2 border-indigo-300 bg-indigo-50" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        Invitation link for {link.email}
      </h2>
      <label htmlFor={`${id}-url`} className="block text-sm font-medium">
        Copy this link now and send it to {link.email}
      </label>
      <input
        id={`${id}-url`}
        readOnly
        value={link.url}
        className="input w-full font-mono text-xs"
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="text-sm text-slate-700">
        It is shown only this once. It works once, until {link.expiresAt}. Lost it? Use “Create a new link” below.
      </p>
    </section>
  );
}
