/** Links within the issue list: the current URL with some parameters replaced (the page cursor dropped). */
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
