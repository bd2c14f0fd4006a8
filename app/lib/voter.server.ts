/**
 * The anonymous "me too" voter: a random id in an httpOnly, SameSite=Lax cookie, so one browser counts once per
 * issue without an account. It identifies nothing but the browser and is never shown.
 */
import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { cookieIsSecure } from "./session.server";

const VOTER_KEY = /^[a-f0-9]{32}$/;

function voterCookie() {
  return createCookie("pinpoint_voter", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieIsSecure(),
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
}

/** The voter key of this browser, or null when it has none (or a malformed one). */
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
