import type { InputHTMLAttributes, Ref, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useId } from "react";

type Common = { label: ReactNode; error?: string; hint?: ReactNode };

interface ControlProps {
  id: string;
  className: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/**
 * Label, hint and error around one control, with the error and hint tied to it by aria-describedby so screen
 * readers read them with the field.
 */
function FieldShell({
  label,
  error,
  hint,
  id,
  className,
  render,
}: Common & { id?: string; className?: string; render: (control: ControlProps) => ReactNode }) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  const describedBy =
    [error ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="label">
        {label}
      </label>
      {render({
        id: fieldId,
        className: "input",
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
      {hint ? (
        <p id={`${fieldId}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${fieldId}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Field({ label, error, hint, id, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell {...{ label, error, hint, id, className }} render={(control) => <input {...control} {...input} />} />
  );
}

export function TextareaField({
  label,
  error,
  hint,
  id,
  className,
  ...input
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell {...{ label, error, hint, id, className }} render={(control) => <textarea {...control} {...input} />} />
  );
}

export function SelectField({
  label,
  error,
  hint,
  id,
  className,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldShell
      {...{ label, error, hint, id, className }}
      render={(control) => (
        <select {...control} {...select}>
          {children}
        </select>
      )}
    />
  );
}

/** A form-level message (errors from the server that belong to no single field). */
export function FormMessage({ error, success }: { error?: string; success?: string }) {
  if (error)
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
        {error}
      </div>
    );
  if (success)
    return (
      <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-800">
        {success}
      </div>
    );
  return null;
}

/**
 * The error summary of a form that came back with errors: the message, then a link to each field to fix. It takes the
 * focus when the page loads (`autofocus`, which works without JavaScript), so after a failed submit the browser shows
 * it, not the top of the page, and a screen reader reads it first.
 */
export function ErrorSummary({
  id,
  message,
  fields,
}: {
  id: string;
  message: string;
  fields: readonly { id: string; label: string; error?: string }[];
}) {
  const invalid = fields.filter((f) => f.error);
  return (
    <div
      id={id}
      role="alert"
      tabIndex={-1}
      // eslint-disable-next-line jsx-a11y/no-autofocus -- moving to the errors after a submit is the point here
      autoFocus
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800"
    >
      <p className="font-semibold">{message}</p>
      {invalid.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {invalid.map((f) => (
            <li key={f.id}>
              <a href={`#${f.id}`} className="text-red-800">
                {f.label}: {f.error}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The hidden idempotency key of a form that creates something (app/lib/idempotency.server.ts): a double submit or
 * a retry with the same key gets the first answer instead of a second row.
 */
export function IdempotencyKeyField({ value }: { value: string }) {
  return <input type="hidden" name="idempotencyKey" value={value} />;
}

/**
 * The name, typed-back value and error of each field of one form, so a form that failed shows what was typed next
 * to its error: `<Field label="Name" {...field("name")} />`.
 */
export function fieldsOf<T extends object>(values: T, errors: Record<string, string | undefined>) {
  const byName = values as Record<string, unknown>;
  return (name: string) => ({
    name,
    defaultValue: byName[name] == null ? "" : String(byName[name]),
    error: errors[name],
  });
}

/** The `<option>`s of a select that picks one record by id. */
export function OptionList({ options }: { options: readonly { id: string; name: string }[] }) {
  return options.map((o) => (
    <option key={o.id} value={o.id}>
      {o.name}
    </option>
  ));
}

/** The visually hidden label and the search box of a GET search form (the form and its button stay with the page). */
export function SearchInput({
  id,
  label,
  inputRef,
  ...input
}: { id: string; label: string; inputRef?: Ref<HTMLInputElement> } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "type" | "className"
>) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input ref={inputRef} id={id} name="q" type="search" maxLength={100} className="input" {...input} />
    </>
  );
}
