/**
 * The anonymous "me too" voter: a random id in a signed, httpOnly, SameSite=Lax cookie, so one browser counts once
 * per issue without an account. A cookie without a valid signature (forged, tampered, or from before signing) is
 * ignored, and the browser gets a fresh id. The id identifies nothing but the browser and is never shown.
 *
 * Dropping the cookie gives a fresh id, so anonymous votes are also capped per issue per client address per day
 * (ANONYMOUS_VOTES_PER_ADDRESS, counted by addMeToo in app/use-cases/reports.server.ts). The address is stored only
 * as a keyed hash.
 */
import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { addressKey } from "./client-address";
import { sessionSecrets } from "./secrets.server";
import { cookieIsSecure } from "./session.server";

/** Anonymous "me too" votes counted per issue from one address per 24 hours: a few players behind one venue Wi-Fi. */
export const ANONYMOUS_VOTES_PER_ADDRESS = 3;
export const ANONYMOUS_VOTE_WINDOW_MS = 24 * 60 * 60 * 1000;

const VOTER_KEY = /^[a-f0-9]{32}$/;

function voterCookie() {
  return createCookie("pinpoint_voter", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieIsSecure(),
    path: "/",
    secrets: sessionSecrets(),
    maxAge: 365 * 24 * 60 * 60,
  });
}

/** The voter key of this browser, or null when it has none (or an unsigned, tampered or malformed one). */
export async function readVoterKey(request: Request): Promise<string | null> {
  const value = await voterCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && VOTER_KEY.test(value) ? value : null;
}

/** The existing key, or a new one with the Set-Cookie header that stores it. */
export async function ensureVoterKey(request: Request): Promise<{ voterKey: string; setCookie: string | null }> {
  const existing = await readVoterKey(request);
  if (existing) return { voterKey: existing, setCookie: null };
  const voterKey = crypto.randomBytes(16).toString("hex");
  return { voterKey, setCookie: await voterCookie().serialize(voterKey) };
}

/**
 * The client's address as stored on an anonymous vote: an HMAC with the signing secret, so the table never holds
 * addresses and a leaked table cannot be matched against a list of them. IPv6 counts per /64 (app/lib/client-address.ts).
 */
export function voterAddressHash(ip: string): string {
  return crypto
    .createHmac("sha256", sessionSecrets()[0])
    .update(`voter-address:${addressKey(ip)}`)
    .digest("hex");
}
