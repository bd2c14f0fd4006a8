/**
 * The e-mail part of /notifications: the switch for all notification e-mails and, per kind of event, right away,
 * daily digest or off (core/notification-email.ts). Without a verified address no e-mail is sent: the form says so.
 */
import { SelectField } from "~/components/form";
import type { FieldErrors } from "~/lib/action-result";
import {
  EMAIL_CHOICES,
  EMAIL_CHOICE_LABELS,
  EMAIL_KINDS,
  EMAIL_KIND_LABELS,
  type EmailChoice,
  type EmailKind,
} from "../../../core/notification-email";

export function EmailSettingsForm({
  enabled,
  choices,
  verified,
  errors,
  busy,
}: {
  enabled: boolean;
  choices: Record<EmailKind, EmailChoice>;
  verified: boolean;
  errors: FieldErrors;
  busy: boolean;
}) {
  return (
    <form method="post" className="space-y-3">
      <input type="hidden" name="intent" value="settings" />
      {verified ? null : (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" role="note">
          Your e-mail address is not verified yet, so we send you no e-mails. Open the link we sent you, or{" "}
          <a href="/account">send a new link from your account page</a>.
        </p>
      )}
      <div className="flex items-center gap-2">
        <input
          id="email-enabled"
          type="checkbox"
          name="emailNotificationsEnabled"
          defaultChecked={enabled}
          className="h-5 w-5"
        />
        <label htmlFor="email-enabled" className="text-sm font-medium">
          Also send me notifications by e-mail
        </label>
      </div>
      <fieldset className="space-y-3">
        <legend className="text-sm text-slate-600">
          For each kind of notification, choose how the e-mail comes. Notifications always appear on this page too.
        </legend>
        {EMAIL_KINDS.map((kind) => (
          <SelectField
            key={kind}
            label={EMAIL_KIND_LABELS[kind]}
            name={`email:${kind}`}
            defaultValue={choices[kind]}
            error={errors[`email:${kind}`]}
          >
            {EMAIL_CHOICES.map((c) => (
              <option key={c} value={c}>
                {EMAIL_CHOICE_LABELS[c]}
              </option>
            ))}
          </SelectField>
        ))}
      </fieldset>
      <button type="submit" className="btn-primary" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}
