import { createContext, useContext, useEffect, useState } from "react";

/**
 * The id of the request whose page is rendered (server/request-log.ts), so an error page can show it and a person
 * can quote it. On the server entry.server.tsx provides it. In the browser entry.client.tsx hands over the id the
 * server printed into an error page (`REQUEST_ID_ATTRIBUTE`), for hydrating that page only: an error page reached by
 * a client-side move gets none, since the id of the page the app started on would name the wrong request.
 */
const RequestIdContext = createContext<string | undefined>(undefined);
export const RequestIdProvider = RequestIdContext.Provider;

/** The attribute the error page marks the id with. */
export const REQUEST_ID_ATTRIBUTE = "data-request-id";

let browserId: string | undefined;

/** entry.client.tsx: the id printed into the page being hydrated, if it is an error page. */
export function setBrowserRequestId(id: string | undefined) {
  browserId = id;
}

/** The request id for an error page, fixed when the page mounts. Remount it per location (key={location.key}). */
export function useRequestReference(): string | undefined {
  const provided = useContext(RequestIdContext);
  const [reference] = useState(() => (typeof document === "undefined" ? provided : browserId));
  useEffect(() => {
    // Hydrated: later error pages belong to other requests.
    browserId = undefined;
  }, []);
  return reference;
}
