/**
 * Create a custom model (homebrew, prototype, anything not in the OPDB catalogue). It belongs to this organization
 * only (Model.organizationId set, isCustom true): other organizations never see it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useSearchParams } from "@remix-run/react";
import { Field, fieldsOf, FormMessage, SelectField } from "~/components/form";
import { requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { forbidden, runAction } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { canCreateMachine, createCustomModel, customModelInput } from "~/use-cases/machines.server";
import { MACHINE_TYPES } from "../../core/machines";

export const meta: MetaFunction = () => [{ title: "New custom model · PinPoint" }];

async function requireModelCreate(args: LoaderFunctionArgs) {
  const actor = await requireMember(args);
  if (!canCreateMachine(actor)) forbidden();
  return actor;
}

/** Only our own machine forms may be the return target (never an outside address). */
function safeReturnTo(value: unknown): string {
  return typeof value === "string" && /^\/machines\/(new|[A-Za-z0-9_-]{1,64})$/.test(value) ? value : "/machines/new";
}

export async function loader(args: LoaderFunctionArgs) {
  await requireModelCreate(args);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireModelCreate(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    const model = await createCustomModel(actor, parseInput(customModelInput, form));
    return redirect(`${safeReturnTo(form.returnTo)}?modelId=${encodeURIComponent(model.id)}`);
  });
}

export default function NewModel() {
  const result = useActionResult();
  const [params] = useSearchParams();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  const field = fieldsOf(values, errors);
  const returnTo = params.get("returnTo") ?? "/machines/new";
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p className="text-sm">
        <a href="/machines/new">← Add a machine</a>
      </p>
      <h1 className="text-2xl font-bold">New custom model</h1>
      <p className="text-slate-700">
        For games that are not in the catalogue. Only your organization sees custom models.
      </p>
      <form method="post" className="card space-y-4" noValidate>
        <input type="hidden" name="returnTo" value={returnTo} />
        <FormMessage
          error={errors.form ?? (result?.ok === false ? "Please check the highlighted fields." : undefined)}
        />
        <Field label="Name" {...field("name")} required maxLength={255} />
        <Field label="Manufacturer" {...field("manufacturer")} maxLength={100} />
        <Field label="Year" {...field("year")} inputMode="numeric" maxLength={4} />
        <SelectField label="Type" {...field("machineType")}>
          <option value="">Not specified</option>
          {MACHINE_TYPES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn-primary">
          Create model
        </button>
      </form>
    </div>
  );
}
