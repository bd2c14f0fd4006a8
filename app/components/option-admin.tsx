/**
 * The page of an ordered, per-organization option list with one default (/admin/statuses, /admin/priorities): one
 * card per option (name, the kind's badge, default badge, usage; move up/down, make default, edit, delete with
 * "move its issues to …") and an add form. The writes are app/use-cases/issue-options.server.ts; the page supplies
 * what differs (its words, its badge, its own form fields). Every form is a plain POST, so the page works without JS.
 */
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { Field, FormMessage, SelectField } from "./form";

export interface AdminOption {
  id: string;
  name: string;
  isDefault: boolean;
  issueCount: number;
}

type Errors = Record<string, string | undefined>;

interface OptionAdminPageProps<O extends AdminOption> {
  title: string;
  intro: ReactNode;
  /** One option as people say it, lower case: "status", "priority". */
  noun: string;
  /** The form field that names the option ("statusId", "priorityId"). */
  idField: string;
  options: readonly O[];
  /** Most characters a name may have. */
  nameMaxLength: number;
  /** Grid columns of the edit and add forms (name, the kind's fields, the button). */
  formColumns: string;
  badge(option: O): ReactNode;
  canBeDefault(option: O): boolean;
  edit: {
    summary: string;
    /** The kind's fields besides the name; the edit form opens when one of them (or the name) has an error. */
    fieldNames: readonly string[];
    fields(option: O, errors: Errors): ReactNode;
  };
  /** How a possible target of "move its issues to" reads. */
  targetLabel(option: O): ReactNode;
  add: { namePlaceholder: string; fields(errors: Errors): ReactNode };
}

export function OptionAdminPage<O extends AdminOption>(props: OptionAdminPageProps<O>) {
  const { title, noun, idField, options } = props;
  const result = useActionResult();
  const errors: Errors = errorsFor(result);
  const vals = valuesFor(result);
  const success = messageFor(result);
  const busy = useNavigation().state === "submitting";
  const createErrors: Errors = errorsFor(result, "create");
  // The card of the option the failed form named shows the error; anything else (an option that is gone) shows on top.
  const onCard = options.some((o) => o.id === vals[idField]);
  const addId = `add-${noun}`;

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <a href="/admin">← Admin</a>
      </nav>
      <div>
        <h1 className="text-2xl font-bold">{title}</h1>
        <p className="mt-1 text-slate-600">{props.intro}</p>
      </div>
      {success ? <FormMessage success={success} /> : null}
      {errors.form && !onCard ? <FormMessage error={errors.form} /> : null}

      <ol className="space-y-3">
        {options.map((option, i) => (
          <OptionCard
            key={option.id}
            {...props}
            option={option}
            first={i === 0}
            last={i === options.length - 1}
            busy={busy}
            errors={vals[idField] === option.id ? errors : {}}
          />
        ))}
      </ol>

      <section className="card space-y-3" aria-labelledby={addId}>
        <h2 id={addId} className="text-lg font-semibold">
          {`Add a ${noun}`}
        </h2>
        <form method="post" className={`grid gap-3 ${props.formColumns} sm:items-end`}>
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Name"
            name="name"
            required
            maxLength={props.nameMaxLength}
            placeholder={props.add.namePlaceholder}
            error={createErrors.name}
          />
          {props.add.fields(createErrors)}
          <button type="submit" className="btn-primary" disabled={busy}>
            {`Add ${noun}`}
          </button>
        </form>
      </section>
    </div>
  );
}

function OptionCard<O extends AdminOption>({
  option,
  first,
  last,
  busy,
  errors,
  options,
  noun,
  idField,
  nameMaxLength,
  formColumns,
  badge,
  canBeDefault,
  edit,
  targetLabel,
}: OptionAdminPageProps<O> & { option: O; first: boolean; last: boolean; busy: boolean; errors: Errors }) {
  const idInput = <input type="hidden" name={idField} value={option.id} />;
  const others = options.filter((o) => o.id !== option.id);
  const issues = (n: number) => `${n} ${n === 1 ? "issue" : "issues"}`;
  return (
    <li className="card space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-semibold">{option.name}</span>
          <span className="badge bg-slate-100 text-slate-800">{badge(option)}</span>
          {option.isDefault ? (
            <span className="badge bg-indigo-100 text-indigo-900">Default for new issues</span>
          ) : null}
          <span className="text-sm text-slate-600">{issues(option.issueCount)}</span>
        </div>
        <div className="flex gap-1">
          {(["up", "down"] as const).map((direction) => (
            <form method="post" key={direction}>
              <input type="hidden" name="intent" value="move" />
              {idInput}
              <input type="hidden" name="direction" value={direction} />
              <button
                type="submit"
                className="btn-secondary px-3"
                disabled={(direction === "up" ? first : last) || busy}
                aria-label={`Move ${option.name} ${direction}`}
              >
                {direction === "up" ? "↑" : "↓"}
              </button>
            </form>
          ))}
          {!option.isDefault && canBeDefault(option) ? (
            <form method="post">
              <input type="hidden" name="intent" value="default" />
              {idInput}
              <button type="submit" className="btn-secondary" disabled={busy}>
                Make default
              </button>
            </form>
          ) : null}
        </div>
      </div>
      {errors.form ? <FormMessage error={errors.form} /> : null}
      <details open={["name", ...edit.fieldNames].some((f) => errors[f]) ? true : undefined}>
        <summary className="cursor-pointer text-sm font-medium text-indigo-700">{edit.summary}</summary>
        <form method="post" className={`mt-3 grid gap-3 ${formColumns} sm:items-end`}>
          <input type="hidden" name="intent" value="update" />
          {idInput}
          <Field
            label="Name"
            name="name"
            defaultValue={option.name}
            required
            maxLength={nameMaxLength}
            error={errors.name}
          />
          {edit.fields(option, errors)}
          <button type="submit" className="btn-primary" disabled={busy}>
            Save
          </button>
        </form>
      </details>
      {!option.isDefault ? (
        <details open={errors.targetId ? true : undefined}>
          <summary className="cursor-pointer text-sm font-medium text-red-700">Delete…</summary>
          <form method="post" className="mt-3 grid gap-3 sm:grid-cols-[1fr,auto] sm:items-end">
            <input type="hidden" name="intent" value="delete" />
            {idInput}
            {option.issueCount > 0 ? (
              <SelectField
                label={`Move its ${issues(option.issueCount)} to`}
                name="targetId"
                defaultValue=""
                required
                error={errors.targetId}
              >
                <option value="">{`Choose a ${noun}…`}</option>
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {targetLabel(o)}
                  </option>
                ))}
              </SelectField>
            ) : (
              <p className="text-sm text-slate-600">{`No issues use this ${noun}.`}</p>
            )}
            <button type="submit" className="btn-danger" disabled={busy}>
              Delete {option.name}
            </button>
          </form>
        </details>
      ) : null}
    </li>
  );
}
