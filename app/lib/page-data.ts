/**
 * Loader data as one JSON string. Remix encodes loader data for the browser with turbo-stream, value by value in
 * JavaScript; a page's data made only of JSON values costs a fraction of that as one `JSON.stringify`, done natively
 * (docs/decisions/047-one-statement-per-page-part.md). `pageData(data)` in the loader, `usePageData(useLoaderData<typeof loader>())`
 * (or `readPageData` in `meta`) in the route: the same object on the server and in the browser.
 *
 * Only JSON values are accepted (the type says so): a Date would arrive as a string.
 */

type NotJson = Date | Map<unknown, unknown> | Set<unknown> | bigint | symbol | ((...args: never[]) => unknown);
/** T with every value JSON cannot carry as it is turned into `never`, so passing such a value fails to compile. */
type JsonChecked<T> = T extends NotJson ? never : T extends object ? { [K in keyof T]: JsonChecked<T[K]> } : T;

/** The page's data, packed; `T` travels in the type only. */
export interface PageData<T> {
  json: string;
  /** Never set: carries T for readPageData. */
  type?: T;
}

// The data of each packed object: set when packing (so the server's render reads the loader's own object), and by
// the first read in the browser (one parse per loader result).
const parsed = new WeakMap<object, unknown>();

export function pageData<T>(data: T & JsonChecked<T>): PageData<T> {
  // Serialized when Remix encodes it for the browser, so a page without scripts (whose data is never sent) pays nothing.
  const packed = {
    get json() {
      return JSON.stringify(data);
    },
  };
  parsed.set(packed, data);
  return packed;
}

export function readPageData<T>(packed: PageData<T>): T {
  let data = parsed.get(packed);
  if (data === undefined) {
    data = JSON.parse(packed.json);
    parsed.set(packed, data);
  }
  return data as T;
}

/** The hook form of readPageData (for symmetry with useLoaderData at the call site). */
export const usePageData = readPageData;
