/**
 * Sections of a record's detail page (a location, a machine): the edit form, and forms that act only once a
 * confirmation box is ticked (delete, regenerate the QR code). Plain POST forms, so they work without JavaScript; the
 * action still checks `confirm=yes` itself.
 */
import type { ReactNode } from "react";
import { FormMessage } from "./form";

/** A POST form with `intent`, a required "confirm" checkbox and a submit button; `children` come before the box. */
export function ConfirmForm({
  intent,
  className,
  confirmId,
  confirm,
  submit,
  submitClassName,
  children,
}: {
  intent: string;
  className: string;
  confirmId: string;
  /** The checkbox label: what the person agrees to. */
  confirm: ReactNode;
  submit: string;
  submitClassName: string;
  children?: ReactNode;
}) {
  return (
    <form method="post" className={className}>
      <input type="hidden" name="intent" value={intent} />
      {children}
      <div className="flex items-start gap-2">
        <input id={confirmId} type="checkbox" name="confirm" value="yes" required className="mt-1 h-4 w-4" />
        <label htmlFor={confirmId} className="text-sm">
          {confirm}
        </label>
      </div>
      <button type="submit" className={submitClassName}>
        {submit}
      </button>
    </form>
  );
}

/** "Delete …" card: `children` (rules, the last refusal) above a confirmed delete form. */
export function DeleteSection({
  title,
  name,
  className,
  children,
}: {
  title: string;
  name: string;
  className: string;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby="delete-heading" className={className}>
      <h2 id="delete-heading" className="text-lg font-semibold">
        {title}
      </h2>
      {children}
      <ConfirmForm
        intent="delete"
        className="space-y-3"
        confirmId="confirm-delete"
        confirm={<>Yes, delete “{name}”. This cannot be undone.</>}
        submit={title}
        submitClassName="btn-danger"
      />
    </section>
  );
}

/** "Edit …" card: an `update` form around the record's fields; after a failed save, a summary message on top. */
export function EditSection({
  title,
  failed,
  formError,
  children,
}: {
  title: string;
  failed: boolean;
  formError?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby="edit-heading" className="card max-w-2xl space-y-4">
      <h2 id="edit-heading" className="text-lg font-semibold">
        {title}
      </h2>
      <form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="intent" value="update" />
        {failed ? <FormMessage error={formError ?? "Please check the highlighted fields."} /> : null}
        {children}
        <button type="submit" className="btn-primary">
          Save changes
        </button>
      </form>
    </section>
  );
}
