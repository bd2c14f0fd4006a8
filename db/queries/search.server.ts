/** Plain-text search helpers shared by the query modules (the issue list uses full-text search instead). */

/** Escapes LIKE/ILIKE wildcards (`%`, `_`) and the escape character itself, so user input matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching values that contain `q` literally. */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}
