/**
 * Sign-in with remix-auth's form strategy (email + password), under the sign-in limits of ./login-throttle.server.ts.
 * One message for unknown email and wrong password, and a dummy hash for unknown emails, so neither the text nor the
 * timing tells which accounts exist. Refusals are Failures (core/failure.ts): invalid credentials or too many attempts.
 */
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { z } from "zod";
import type { Db } from "./db.server";
import { Failure, isFailure } from "../../core/failure";
import { findUserWithPasswordByEmail, setPasswordHash } from "../../db/queries/users.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../core/password.server";
import { beginSignInAttempt, type AccountFailureHook } from "./login-throttle.server";

export interface AuthUser {
  id: string;
}

export const INVALID_CREDENTIALS = "That email and password do not match an account.";

const credentials = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email").max(254).email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(256, "That password is too long"),
});

export function createAuthenticator(db: Db) {
  const authenticator = new Authenticator<AuthUser>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const parsed = credentials.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "" });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Failure("invalid", issue.message, { field: issue.path[0] === "password" ? "password" : "email" });
      }
      const { email, password } = parsed.data;
      const user = await findUserWithPasswordByEmail(db, email);
      if (!user?.hash) {
        await verifyAgainstDummy(password);
        throw new Failure("invalid", INVALID_CREDENTIALS);
      }
      const result = await verifyPassword(password, user.hash);
      if (!result.ok) throw new Failure("invalid", INVALID_CREDENTIALS);
      if (result.needsRehash) await setPasswordHash(db, user.id, await hashPassword(password));
      return { id: user.id };
    }),
    "form",
  );
  return authenticator;
}

/**
 * Checks the request's email and password (the body must still be unread) for `email` (normalised, may be empty)
 * from `ip`. Failures only count towards the limits; a success gives its slot back. `onAccountFailureThreshold`
 * runs when this failure makes the account cross its failure threshold (app/lib/login-throttle.server.ts).
 */
export async function signIn(
  db: Db,
  request: Request,
  email: string,
  ip: string,
  onAccountFailureThreshold?: AccountFailureHook,
): Promise<AuthUser> {
  const start = await beginSignInAttempt(db, email, ip, onAccountFailureThreshold);
  if (!start.allowed) {
    throw new Failure("rate_limited", "Too many sign-in attempts. Please wait a few minutes and try again.", {
      retryAfterSeconds: start.limit.retryAfterSeconds,
    });
  }
  try {
    const user = await createAuthenticator(db).authenticate("form", request);
    await start.attempt.succeeded();
    return user;
  } catch (error) {
    if (isFailure(error)) await start.attempt.failed();
    throw error;
  }
}
