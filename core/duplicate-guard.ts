/**
 * "Is it one of these?": when a player's report resembles an open issue of the same machine, the report form offers
 * those issues (with "Me too") before filing a new one. Similarity is PostgreSQL's pg_trgm; the thresholds were tuned
 * on the demo issues (db/seed.server.ts) with the figures in docs/decisions/038-trigram-search-and-duplicate-guard.md.
 */

/** `word_similarity(report title, issue title)` at or above this: the issue is offered. */
export const DUPLICATE_TITLE_THRESHOLD = 0.35;

/**
 * `word_similarity(report title + details, issue title + description)` at or above this: offered too (a report whose
 * title is worded differently but whose details say the same, e.g. "trapdoor stays open" / "Trap door doesn't close").
 */
export const DUPLICATE_TEXT_THRESHOLD = 0.75;

/** At most this many issues are offered, the most similar first. */
export const DUPLICATE_MAX_MATCHES = 3;

/** Shorter titles are not looked up while typing (too many chance trigram matches). */
export const SIMILAR_QUERY_MIN_LENGTH = 3;

/** The form value that files the report although it resembles known issues ("No, it's something new"). */
export const CONFIRM_NEW_VALUE = "1";
