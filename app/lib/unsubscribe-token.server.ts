/**
 * One-click unsubscribe tokens for notification e-mails: `<userId>.<organizationId>.<mac>`, the MAC an HMAC-SHA256
 * with SESSION_SECRET (app/lib/secrets.server.ts; every rotated secret verifies) over both ids. Nothing is stored:
 * a token is valid as long as the secret is, and it can only turn notification e-mails off.
 */
import crypto from "node:crypto";
import { sessionSecrets } from "./secrets.server";

function mac(secret: string, userId: string, organizationId: string): string {
  return crypto.createHmac("sha256", secret).update(`unsubscribe:${userId}:${organizationId}`).digest("base64url");
}

export function unsubscribeToken(userId: string, organizationId: string): string {
  return `${userId}.${organizationId}.${mac(sessionSecrets()[0], userId, organizationId)}`;
}

/** The ids a token was made for, or null when it is malformed or not ours. */
export function readUnsubscribeToken(token: string): { userId: string; organizationId: string } | null {
  const parts = token.split(".");
  if (parts.length !== 3 || token.length > 300) return null;
  const [userId, organizationId, given] = parts as [string, string, string];
  if (!userId || !organizationId || !given) return null;
  const givenBuf = Buffer.from(given);
  for (const secret of sessionSecrets()) {
    const expected = Buffer.from(mac(secret, userId, organizationId));
    if (expected.length === givenBuf.length && crypto.timingSafeEqual(expected, givenBuf)) {
      return { userId, organizationId };
    }
  }
  return null;
}
