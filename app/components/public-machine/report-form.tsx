/**
 * The 30-second report form of the public machine page: a plain multipart form (works without JavaScript), with a
 * hidden honeypot field for bots and the idempotency key against double submits.
 */
import { useLocation } from "@remix-run/react";
import { ErrorSummary, Field, fieldsOf, IdempotencyKeyField, TextareaField } from "~/components/form";
import type { FieldErrors } from "~/lib/action-result";
import { useNonce } from "~/lib/nonce";
import { SIMILAR_WHILE_TYPING } from "./similar-script";

export function ReportSection({
  signedInAs,
  canAttach,
  reportKey,
  errors,
  values,
  similarUrl,
}: {
  /** Where the matches shown while typing come from (/m/<id>/similar); null: none are shown. */
  similarUrl: string | null;
  signedInAs: string | null;
  canAttach: boolean;
  reportKey: string;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const nonce = useNonce();
  const { pathname } = useLocation();
  const field = fieldsOf(values, errors);
  return (
    <section aria-labelledby="report-heading" id="report" className="card space-y-4">
      <div>
        <h2 id="report-heading" className="text-lg font-semibold">
          Report a problem
        </h2>
        <p className="text-sm text-slate-600">
          {signedInAs ? `Reporting as ${signedInAs}.` : "No account needed. Takes about 30 seconds."}
        </p>
      </div>
      {errors.form ? (
        <ErrorSummary
          id="report-errors"
          message={errors.form}
          fields={[
            { id: "report-title", label: "What’s wrong?", error: errors.title },
            { id: "report-description", label: "Details", error: errors.description },
            { id: "report-photo", label: "Photo", error: errors.photo },
            { id: "report-name", label: "Your name", error: errors.name },
            { id: "report-email", label: "Your email", error: errors.email },
          ]}
        />
      ) : null}
      {similarUrl ? (
        // The "Me too" buttons the script lists inside the report form submit this form (a form cannot hold one).
        <form id="similar-metoo" method="post" action={pathname} hidden>
          <input type="hidden" name="intent" value="metoo" />
        </form>
      ) : null}
      {/* The page sends no scripts (decision 032): plain forms, posting to this page. */}
      <form
        method="post"
        action={pathname}
        encType="multipart/form-data"
        className="space-y-4"
        noValidate
        id="report-form"
        data-similar={similarUrl ?? undefined}
      >
        <input type="hidden" name="intent" value="report" />
        <IdempotencyKeyField value={reportKey} />
        <Field
          id="report-title"
          label="What’s wrong?"
          {...field("title")}
          required
          maxLength={255}
          autoComplete="off"
          placeholder="e.g. Left flipper is weak"
        />
        <TextareaField
          id="report-description"
          label="Details (optional)"
          {...field("description")}
          rows={3}
          maxLength={2000}
          hint="When does it happen? Every game, sometimes?"
        />
        {similarUrl ? <div id="similar-live" aria-live="polite" className="space-y-2 text-sm empty:hidden" /> : null}
        {canAttach ? (
          <Field
            id="report-photo"
            label="Photo (optional)"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            hint="JPEG, PNG or WebP, up to 5 MB. Location and camera details are removed."
            error={errors.photo}
          />
        ) : null}
        {signedInAs ? null : (
          <>
            <Field
              id="report-name"
              label="Your name (optional)"
              {...field("name")}
              maxLength={100}
              autoComplete="name"
            />
            <Field
              id="report-email"
              label="Your email (optional)"
              {...field("email")}
              type="email"
              inputMode="email"
              maxLength={254}
              autoComplete="email"
              hint="Only the team sees it, never the public. You can also follow your report with the link you get next."
            />
          </>
        )}
        {/* Honeypot: hidden from people and screen readers; bots fill every field. */}
        <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
          <label htmlFor="website">Leave this field empty</label>
          <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <button type="submit" className="btn-primary min-h-11 w-full text-base">
          Send report
        </button>
      </form>
      {similarUrl ? (
        // A constant of ours, no data in it (React would escape a text child, which breaks a script).
        // eslint-disable-next-line react/no-danger
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SIMILAR_WHILE_TYPING }} />
      ) : null}
    </section>
  );
}

/** Shown instead of the form when visitors may not report here. */
export function SignInToReport() {
  return (
    <p className="card text-slate-700">
      To report a problem, please <a href="/login">sign in</a>.
    </p>
  );
}
