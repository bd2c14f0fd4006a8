/**
 * Database-backed sessions. The cookie holds only a random 256-bit id (signed); the Session row stores its
 * SHA-256, the absolute expiry and the last time it was seen (idle expiry). Sign-in creates a new row (new id),
 * sign-out deletes it, a password change deletes every other session of the user.
 */
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import type { Db } from "./db.server";
import type { StoredSession } from "../../db/queries/access.server";
import * as sessionQueries from "../../db/queries/sessions.server";
import { safeRedirect } from "./safe-redirect";
import { sessionSecrets } from "./secrets.server";

export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** Refresh lastSeenAt at most this often, so reads do not each cause a write. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export function cookieIsSecure(): boolean {
  if (process.env.COOKIE_SECURE) return process.env.COOKIE_SECURE === "true";
  return process.env.NODE_ENV === "production";
}

function sessionCookie() {
  const secure = cookieIsSecure();
  // The __Host- prefix pins the cookie to this exact host, path / and HTTPS (browsers count localhost as secure).
  return createCookie(secure ? "__Host-pinpoint_session" : "pinpoint_session", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    secrets: sessionSecrets(),
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export interface SessionUser {
  id: string;
  name: string | null;
  email: string | null;
  sessionId: string;
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length >= 32 && value.length <= 128 ? value : null;
}

/** The stored form of the request's session token (what Session.sessionToken holds), or null without a cookie. */
export async function requestSessionToken(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? hashToken(token) : null;
}

/**
 * The signed-in user of a session read with the request (db/queries/access.server.ts loadRequestAccess), or null
 * when it has expired (absolutely or by idling): expired sessions are deleted on sight.
 */
export async function sessionUserOf(db: Db, session: StoredSession): Promise<SessionUser | null> {
  const now = Date.now();
  if (session.expires.getTime() <= now || session.lastSeenAt.getTime() + SESSION_IDLE_MS <= now) {
    await sessionQueries.deleteSession(db, session.id);
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS)
    await sessionQueries.touchSession(db, session.id, new Date(now));
  return { ...session.user, sessionId: session.id };
}

/** Starts a fresh session (a new id every sign-in) and redirects with its cookie. */
export async function createUserSession(
  db: Db,
  request: Request,
  userId: string,
  redirectTo: string,
  clientIp: string | null = null,
): Promise<Response> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date();
  await sessionQueries.insertSession(db, {
    sessionToken: hashToken(token),
    userId,
    expires: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    lastSeenAt: now,
    ipAddress: clientIp?.slice(0, 64) ?? null,
    userAgent: request.headers.get("user-agent")?.slice(0, 255) ?? null,
  });
  // An old session cookie of this browser is replaced; its row is removed so it cannot be replayed.
  const previous = await readToken(request);
  if (previous) await sessionQueries.deleteSessionByToken(db, hashToken(previous));
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await sessionCookie().serialize(token) } });
}

/** Signs out this browser: deletes the session row and clears the cookie. */
export async function destroyUserSession(db: Db, request: Request, redirectTo = "/"): Promise<Response> {
  const token = await readToken(request);
  if (token) await sessionQueries.deleteSessionByToken(db, hashToken(token));
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) } });
}

// Where sign-in may send the browser: same-site paths only (app/lib/safe-redirect.ts).
export { safeRedirect };
