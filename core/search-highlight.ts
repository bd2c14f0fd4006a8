/**
 * Which words of a shown text to highlight for a search (the issue list's forgiving search,
 * docs/decisions/038-trigram-search-and-duplicate-guard.md): a word matches a searched word when one starts with the
 * other (stems: "flippers" for "flipper"), or when their trigram similarity (pg_trgm's measure) is at least
 * HIGHLIGHT_SIMILARITY (typos: "flipper" for "fliper"). Pure: the page renders the parts as text, so nothing is
 * ever interpreted as HTML.
 */

export interface HighlightPart {
  text: string;
  mark: boolean;
}

export const HIGHLIGHT_SIMILARITY = 0.5;

/** Lower-case words of at least two letters or digits; search syntax (quotes, a leading "-", "or") dropped. */
export function searchWords(q: string): string[] {
  const words = new Set<string>();
  for (const raw of q.toLowerCase().split(/\s+/)) {
    if (raw.startsWith("-") || raw === "or") continue;
    for (const w of raw.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 2) words.add(w);
  }
  return [...words].slice(0, 10);
}

/** The trigrams of one word as pg_trgm forms them (two spaces before, one after). */
function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** pg_trgm's similarity of two words: shared trigrams over all distinct trigrams of both. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared += 1;
  return shared / (ta.size + tb.size - shared);
}

function matches(word: string, searched: readonly string[]): boolean {
  const w = word.toLowerCase();
  return searched.some(
    (s) =>
      w.startsWith(s) ||
      (w.length >= 3 && s.startsWith(w)) ||
      (s.length >= 3 && trigramSimilarity(w, s) >= HIGHLIGHT_SIMILARITY),
  );
}

/** `text` cut into parts, the parts that match a searched word marked; the parts joined give `text` back. */
export function highlightParts(text: string, q: string): HighlightPart[] {
  const searched = searchWords(q);
  if (!searched.length || !text) return text ? [{ text, mark: false }] : [];
  const parts: HighlightPart[] = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const mark = /^[\p{L}\p{N}]+$/u.test(piece) && matches(piece, searched);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += piece;
    else parts.push({ text: piece, mark });
  }
  return parts;
}
