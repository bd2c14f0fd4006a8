/**
 * Add a machine (machine:edit, or machine:create where a role grants it). The model comes from the catalogue or the
 * organization's custom models; "Find" narrows the list with a GET that keeps the other fields (works without JS).
 * The owner, if any, must be a member. A printable QR code is ready as soon as the machine exists.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormMessage } from "~/components/form";
import { MachineFields } from "~/components/machine-fields";
import { requireMember } from "~/lib/access.server";
import { forbidden } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { machineFormValues, machineSchema } from "~/lib/machine-form.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { createMachine, listOwnerOptions } from "../../db/queries/machines.server";
import { listModelOptions } from "../../db/queries/models.server";

export const meta: MetaFunction = () => [{ title: "Add a machine · PinPoint" }];

async function requireCreate(args: LoaderFunctionArgs) {
  const access = await requireMember(args);
  if (!access.can("machine:edit") && !access.can("machine:create")) forbidden();
  return access;
}

const prefillSchema = z.object({
  modelq: z.string().trim().max(100).catch(""),
  name: z.string().max(255).catch(""),
  modelId: z.string().max(64).catch(""),
  locationId: z.string().max(64).catch(""),
  ownerId: z.string().max(64).catch(""),
});

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireCreate(args);
  const { db, organizationId } = access;
  const url = new URL(args.request.url);
  const prefill = prefillSchema.parse({
    modelq: url.searchParams.get("modelq") ?? "",
    name: url.searchParams.get("name") ?? "",
    modelId: url.searchParams.get("modelId") ?? "",
    locationId: url.searchParams.get("locationId") ?? "",
    ownerId: url.searchParams.get("ownerId") ?? "",
  });
  const [models, locations, owners] = await Promise.all([
    listModelOptions(db, organizationId, { q: prefill.modelq, includeId: prefill.modelId || undefined }),
    listLocationOptions(db, organizationId),
    listOwnerOptions(db, organizationId),
  ]);
  return {
    prefill: { ...prefill, locationId: prefill.locationId || (locations.length === 1 ? locations[0].id : "") },
    models,
    locations,
    owners,
    canCreateModel: access.can("machine:edit") || access.can("machine:create"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId } = await requireCreate(args);
  const form = formToObject(await readForm(args.request));
  const values = machineFormValues(form);
  const parsed = parseWith(machineSchema, form);
  if (!parsed.ok) return validationError(parsed.errors, values);
  const result = await createMachine(db, organizationId, parsed.data);
  if (!result.ok) return validationError(result.reason === "invalid" ? result.errors : { form: "Something changed meanwhile; try again." }, values);
  throw redirect(`/machines/${result.id}?created=1`);
}

type ActionResult = { ok: false; errors: Record<string, string>; values?: Record<string, string> };

export default function NewMachine() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as ActionResult | undefined;
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values = result?.values ?? d.prefill;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p className="text-sm">
        <Link to="/machines">← Machines</Link>
      </p>
      <h1 className="text-2xl font-bold">Add a machine</h1>
      {d.locations.length === 0 ? (
        <FormMessage error="Add a location first: every machine stands somewhere." />
      ) : null}
      <Form method="post" className="card space-y-4" noValidate>
        <FormMessage error={errors.form ?? (result ? "Please check the highlighted fields." : undefined)} />
        <div className="flex items-end gap-2">
          <Field
            className="flex-1"
            label="Find a model"
            name="modelq"
            type="search"
            maxLength={100}
            defaultValue={d.prefill.modelq}
            placeholder="e.g. Medieval Madness or Williams"
            hint={`${d.models.length} ${d.models.length === 1 ? "model" : "models"} in the list below.`}
          />
          <button type="submit" formMethod="get" formNoValidate className="btn-secondary mb-5">
            Find
          </button>
        </div>
        <MachineFields
          values={values}
          errors={errors}
          models={d.models}
          locations={d.locations}
          owners={d.owners}
          nameHint="Optional. Defaults to the model name; add “#2” when you have two of a kind."
        />
        {d.canCreateModel ? (
          <p className="text-sm text-slate-700">
            Not in the catalogue (homebrew, prototype)? <Link to="/models/new?returnTo=/machines/new">Create a custom model</Link>.
          </p>
        ) : null}
        <button type="submit" className="btn-primary">
          Add machine
        </button>
      </Form>
    </div>
  );
}
