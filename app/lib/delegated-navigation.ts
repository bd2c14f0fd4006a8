/**
 * Client-side navigation for plain `<a>` and `<form>` elements, from one pair of listeners on the window instead of a
 * router component per link and form (docs/decisions/046-plain-links-and-forms.md). The server renders plain HTML,
 * which works without JavaScript; once the page has hydrated, a click on a link of this site or a submit of a form to
 * it goes through Remix's router as <Link>/<Form> would: loader data instead of a document, pending states in
 * useNavigation, actions answered in place.
 *
 * What stays with the browser: other sites, new tabs or windows (modifier keys, `target`), downloads, links to a place
 * on the same page, and elements marked `data-document` (resource routes such as CSV exports need a document request).
 * `data-keep-scroll` on a link or form keeps the scroll position (Remix's `preventScrollReset`).
 */
import { useLocation, useNavigate, useSubmit } from "@remix-run/react";
import { useEffect } from "react";

const KEEP_SCROLL = "data-keep-scroll";
const DOCUMENT = "data-document";

/** The link a click should move to inside the app, or null when the browser should handle the click. */
function linkToFollow(event: MouseEvent, here: URL): { to: string; keepScroll: boolean } | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return null;
  const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(anchor instanceof HTMLAnchorElement)) return null;
  if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download") || anchor.hasAttribute(DOCUMENT))
    return null;
  const url = new URL(anchor.href, here);
  if (url.origin !== here.origin) return null;
  // A place on this page (the skip link, an error summary's field links): the browser scrolls and focuses.
  if (url.hash && url.pathname === here.pathname && url.search === here.search) return null;
  return { to: url.pathname + url.search + url.hash, keepScroll: anchor.hasAttribute(KEEP_SCROLL) };
}

type Submitter = HTMLButtonElement | HTMLInputElement;

/** The submission a submit event should make through the router, or null when the browser should send it. */
function formToSubmit(
  event: SubmitEvent,
  here: URL,
): { target: HTMLFormElement | Submitter; action: string; keepScroll: boolean } | null {
  if (event.defaultPrevented || !(event.target instanceof HTMLFormElement)) return null;
  const form = event.target;
  const submitter = event.submitter as Submitter | null;
  const target = submitter?.getAttribute("formtarget") ?? form.getAttribute("target");
  if ((target && target !== "_self") || form.hasAttribute(DOCUMENT)) return null;
  // Resolved as the browser resolves it: no action attribute means this document's address, without its hash.
  const url = new URL(submitter?.getAttribute("formaction") ?? form.getAttribute("action") ?? "", here);
  url.hash = "";
  if (url.origin !== here.origin) return null;
  return { target: submitter ?? form, action: url.pathname + url.search, keepScroll: form.hasAttribute(KEEP_SCROLL) };
}

/** Installs the two listeners while the app runs (app/root.tsx). */
export function useDelegatedNavigation() {
  const navigate = useNavigate();
  const submit = useSubmit();
  useEffect(() => {
    // On the window, so that React's own handlers (on the document) have run and may have prevented the default.
    const onClick = (event: MouseEvent) => {
      const link = linkToFollow(event, new URL(window.location.href));
      if (!link) return;
      event.preventDefault();
      navigate(link.to, { preventScrollReset: link.keepScroll });
    };
    const onSubmit = (event: SubmitEvent) => {
      const submission = formToSubmit(event, new URL(window.location.href));
      if (!submission) return;
      event.preventDefault();
      // The router reads method, enctype and the fields (with the submitter's name and value) from the element.
      submit(submission.target, { action: submission.action, preventScrollReset: submission.keepScroll });
    };
    window.addEventListener("click", onClick);
    window.addEventListener("submit", onSubmit);
    return () => {
      window.removeEventListener("click", onClick);
      window.removeEventListener("submit", onSubmit);
    };
  }, [navigate, submit]);
}

/**
 * The action of a form on an index route (`_index`): Remix sends a POST to that route only with `?index` in the
 * address (without it, to the parent). The page's own query stays, as with a form without an action elsewhere.
 */
export function useIndexRouteAction(): string {
  const { pathname, search } = useLocation();
  const query = new URLSearchParams(search);
  query.delete("index");
  const rest = query.toString();
  return `${pathname}?index${rest ? `&${rest}` : ""}`;
}
