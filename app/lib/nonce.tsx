import { createContext, useContext } from "react";

/** The per-request CSP nonce, set by entry.server; empty in the browser (browsers hide nonce attributes). */
const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
