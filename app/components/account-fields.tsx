/** The fields of a person's account, shared by sign-up, joining by invitation, sign-in and the account page. */
import { Field } from "./form";

/** The person's display name when they create an account. */
export function AccountNameField({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <Field
      label="Name"
      name="name"
      autoComplete="name"
      required
      maxLength={100}
      defaultValue={defaultValue}
      error={error}
    />
  );
}

/** The sign-in e-mail address (sign-in and sign-up). */
export function EmailField({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <Field
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}

/**
 * A new password typed twice (`password` and `confirm`); the server checks the length and that both match, so the
 * hint names the same minimum as app/lib/fields.server.ts.
 */
export function NewPasswordFields({
  errors,
  label = "Password",
  hint = true,
}: {
  errors: Record<string, string | undefined>;
  label?: string;
  hint?: boolean;
}) {
  return (
    <>
      <Field
        label={label}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint={hint ? "At least 8 characters. Long passphrases are welcome." : undefined}
        error={errors.password}
      />
      <Field
        label={`Repeat ${label.toLowerCase()}`}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirm}
      />
    </>
  );
}
