/**
 * The account page's e-mail part: whether the address is verified (with "send a new link"), and the form that moves
 * the account to a new address (confirmed by a link sent there: app/use-cases/email-verification.server.ts).
 */
import { TitledSection } from "~/components/titled-section";
import { Field } from "~/components/form";
import type { FieldErrors } from "~/lib/action-result";

export function EmailSection({
  email,
  verified,
  errors,
  values,
}: {
  email: string | null;
  verified: boolean;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const typed = values.email ?? "";
  return (
    <TitledSection headingId="email-heading" title="E-mail address" className="card space-y-4">
      <p className="text-sm text-slate-700">
        Your address is <strong>{email ?? "not set"}</strong>
        {verified ? " (verified)." : "."}
      </p>
      {verified ? null : (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>
            Your address is not verified yet. Open the link we e-mailed you. Until then you cannot invite people, join
            an organization or get notifications by e-mail.
          </p>
          <form method="post">
            <input type="hidden" name="intent" value="resend-verification" />
            <button className="btn-secondary" type="submit">
              Send me a new link
            </button>
          </form>
        </div>
      )}
      <form method="post" className="space-y-4">
        <input type="hidden" name="intent" value="email" />
        <p className="text-sm text-slate-600">
          To use another address, enter it with your current password. We send a link to the new address; the change
          happens when you open it. We also tell your current address.
        </p>
        <Field
          label="New e-mail address"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={typed}
          maxLength={254}
          required
          error={errors.email}
        />
        <Field
          label="Current password"
          name="current"
          type="password"
          autoComplete="current-password"
          required
          error={errors.current}
        />
        <button className="btn-primary" type="submit">
          Change e-mail address
        </button>
      </form>
    </TitledSection>
  );
}
