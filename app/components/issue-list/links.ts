/**
 * Links within the issue list: the current URL with some parameters replaced (the page cursor dropped), and the
 * CSV download of the list as it is filtered, searched and sorted now.
 */
import { useSearchParams } from "@remix-run/react";

export function useIssueListLink(): (changes: Record<string, string | null>) => string {
  const [params] = useSearchParams();
  return (changes) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    next.delete("index");
    const s = next.toString();
    return s ? `/issues?${s}` : "/issues";
  };
}

/** /issues.csv with the list's current filters, search and sort (every page, so no cursor). */
export function useIssueCsvHref(): string {
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  for (const k of ["after", "before", "index"]) next.delete(k);
  const s = next.toString();
  return s ? `/issues.csv?${s}` : "/issues.csv";
}
