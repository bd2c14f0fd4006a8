/** A text with the words that match the list's search in <mark> (core/search-highlight.ts); rendered as text only. */
import { highlightParts } from "../../../core/search-highlight";

export function Highlighted({ text, q }: { text: string; q: string }) {
  if (!q) return <>{text}</>;
  return (
    <>
      {highlightParts(text, q).map((part, n) =>
        part.mark ? (
          <mark key={n} className="rounded-sm bg-yellow-100 px-0.5 text-inherit">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
