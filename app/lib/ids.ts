/**
 * The shape of our record ids (cuid2 and the seed's readable ids: letters, digits, - and _, at most 64). A value from a
 * URL that cannot be an id is refused before it reaches a query.
 */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function isPlausibleId(value: string | null | undefined): value is string {
  return typeof value === "string" && ID_SHAPE.test(value);
}

/** An id from a URL parameter, or undefined when it cannot be one. */
export function idParam(value: string | null | undefined): string | undefined {
  return isPlausibleId(value) ? value : undefined;
}
