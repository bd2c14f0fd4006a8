/**
 * What a route module may declare in its `handle` export for the document around it (app/root.tsx).
 * `scripts: false`: the page is complete as HTML and its forms post normally, so the document sends no client
 * JavaScript (no hydration, no route modules, no modulepreload links). Used by the public pages a phone opens from a
 * QR sticker: docs/decisions/032-public-pages-without-client-js.md.
 */
export interface PageHandle {
  scripts?: boolean;
}

/** The page's scripts go out unless one of the matched routes (the page or a parent) says it needs none. */
export function sendsScripts(matches: readonly { handle?: unknown }[]): boolean {
  return !matches.some((m) => (m.handle as PageHandle | undefined)?.scripts === false);
}
