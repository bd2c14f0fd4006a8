/** The fields of a maintenance note (add form on the machine page, edit page): day, kind of work, what was done, issue. */
import { Field, SelectField, TextareaField } from "~/components/form";

export interface NoteFormOptions {
  tags: { id: string; name: string }[];
  issues: { id: string; name: string }[];
}

export function NoteFields({
  values,
  errors,
  options,
  idPrefix,
}: {
  values: { performedOn?: string; tag?: string; content?: string; issueId?: string };
  errors: Record<string, string | undefined>;
  options: NoteFormOptions;
  idPrefix: string;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field
        id={`${idPrefix}-performedOn`}
        label="Day of the work"
        type="date"
        name="performedOn"
        required
        defaultValue={values.performedOn}
        error={errors.performedOn}
      />
      <SelectField
        id={`${idPrefix}-tag`}
        label="Kind of work"
        name="tag"
        required
        defaultValue={values.tag ?? "maintenance"}
        error={errors.tag}
      >
        {options.tags.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <TextareaField
        id={`${idPrefix}-content`}
        className="sm:col-span-2"
        label="What was done"
        name="content"
        rows={3}
        required
        maxLength={4000}
        defaultValue={values.content}
        error={errors.content}
      />
      <SelectField
        id={`${idPrefix}-issueId`}
        className="sm:col-span-2"
        label="About an issue (optional)"
        name="issueId"
        defaultValue={values.issueId ?? ""}
        error={errors.issueId}
      >
        <option value="">No issue</option>
        {options.issues.map((i) => (
          <option key={i.id} value={i.id}>
            {i.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
