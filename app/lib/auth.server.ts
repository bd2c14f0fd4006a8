/**
 * Sign-in with remix-auth's form strategy (email + password). One message for unknown email and wrong password,
 * and a dummy hash for unknown emails, so neither the text nor the timing tells which accounts exist.
 */
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { z } from "zod";
import type { Db } from "./db.server";
import { findUserWithPasswordByEmail, setPasswordHash } from "../../db/queries/users.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../core/password.server";

export interface AuthUser {
  id: string;
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly field: "email" | "password" | "form" = "form",
  ) {
    super(message);
  }
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
        throw new SignInError(issue.message, issue.path[0] === "password" ? "password" : "email");
      }
      const { email, password } = parsed.data;
      const user = await findUserWithPasswordByEmail(db, email);
      if (!user?.hash) {
        await verifyAgainstDummy(password);
        throw new SignInError(INVALID_CREDENTIALS);
      }
      const result = await verifyPassword(password, user.hash);
      if (!result.ok) throw new SignInError(INVALID_CREDENTIALS);
      if (result.needsRehash) await setPasswordHash(db, user.id, await hashPassword(password));
      return { id: user.id };
    }),
    "form",
  );
  return authenticator;
}
