/**
 * Create a custom model (homebrew, prototype, anything not in the OPDB catalogue). It belongs to this organization
 * only (Model.organizationId set, isCustom true): other organizations never see it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requireMember } from "~/lib/access.server";
import { forbidden } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { createCustomModel } from "../../db/queries/models.server";

export const meta: MetaFunction = () => [{ title: "New custom model · PinPoint" }];

const MACHINE_TYPES = [
  ["", "Not specified"],
  ["em", "Electro-mechanical (EM)"],
  ["ss", "Solid state (SS)"],
  ["digital", "Digital / virtual"],
  ["other", "Other"],
] as const;

async function requireModelCreate(args: LoaderFunctionArgs) {
  const access = await requireMember(args);
  if (!access.can("machine:edit") && !access.can("machine:create")) forbidden();
  return access;
}

/** Only our own machine forms may be the return target (never an outside address). */
function safeReturnTo(value: unknown): string {
  return typeof value === "string" && /^\/machines\/(new|[A-Za-z0-9_-]{1,64})$/.test(value) ? value : "/machines/new";
}

const maxYear = new Date().getFullYear() + 2;

const modelSchema = z.object({
  name: fields.name,
  manufacturer: z
    .string()
    .trim()
    .max(100, "Keep the manufacturer under 100 characters")
    .optional()
    .transform((v) => v || null),
  year: z
    .string()
    .trim()
    .max(4, `Enter a year between 1900 and ${maxYear}`)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!/^\d{4}$/.test(v) || n < 1900 || n > maxYear) {
        ctx.addIssue({ code: "custom", message: `Enter a year between 1900 and ${maxYear}` });
        return z.NEVER;
      }
      return n;
    }),
  machineType: z
    .enum(["", "em", "ss", "digital", "other"], { error: "Choose a type from the list" })
    .optional()
    .transform((v) => v || null),
});

export async function loader(args: LoaderFunctionArgs) {
  await requireModelCreate(args);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId } = await requireModelCreate(args);
  const form = formToObject(await readForm(args.request));
  const values = Object.fromEntries(
    ["name", "manufacturer", "year", "machineType"].map((k) => [k, typeof form[k] === "string" ? (form[k] as string).slice(0, 300) : ""]),
  );
  const parsed = parseWith(modelSchema, form);
  if (!parsed.ok) return validationError(parsed.errors, values);
  const model = await createCustomModel(db, organizationId, parsed.data);
  const returnTo = safeReturnTo(form.returnTo);
  throw redirect(`${returnTo}?modelId=${encodeURIComponent(model.id)}`);
}

type ActionResult = { ok: false; errors: Record<string, string>; values?: Record<string, string> };

export default function NewModel() {
  const result = useActionData() as ActionResult | undefined;
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values = result?.values ?? {};
  const returnTo = params.get("returnTo") ?? "/machines/new";
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p className="text-sm">
        <Link to="/machines/new">← Add a machine</Link>
      </p>
      <h1 className="text-2xl font-bold">New custom model</h1>
      <p className="text-slate-700">For games that are not in the catalogue. Only your organization sees custom models.</p>
      <Form method="post" className="card space-y-4" noValidate>
        <input type="hidden" name="returnTo" value={returnTo} />
        <FormMessage error={errors.form ?? (result ? "Please check the highlighted fields." : undefined)} />
        <Field label="Name" name="name" required maxLength={255} defaultValue={values.name ?? ""} error={errors.name} />
        <Field label="Manufacturer" name="manufacturer" maxLength={100} defaultValue={values.manufacturer ?? ""} error={errors.manufacturer} />
        <Field label="Year" name="year" inputMode="numeric" maxLength={4} defaultValue={values.year ?? ""} error={errors.year} />
        <SelectField label="Type" name="machineType" defaultValue={values.machineType ?? ""} error={errors.machineType}>
          {MACHINE_TYPES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn-primary">
          Create model
        </button>
      </Form>
    </div>
  );
}
