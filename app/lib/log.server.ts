/**
 * The app's door to the process logger (server/log.ts): the same pino instance and request scope, shared through a
 * globalThis slot, so lines logged by loaders, actions and use cases carry the request's id.
 */
export { errorFields, log, maskEmail } from "../../server/log";
