import { useEffect, useState } from "react";

/** False in the server's HTML and until the browser has run the page's JavaScript; then true. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
