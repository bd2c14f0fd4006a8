/**
 * Add a machine (machine:edit, or machine:create where a role grants it). The model comes from the catalogue or the
 * organization's custom models; "Find" narrows the list with a GET that keeps the other fields (works without JS).
 * The owner, if any, must be a member. A printable QR code is ready as soon as the machine exists.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { MachineFields } from "~/components/machine-fields";
import { requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { forbidden, runAction, runLoader } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { canCreateMachine, createMachine, loadNewMachinePage, machineInput } from "~/use-cases/machines.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Add a machine · PinPoint" }];

async function requireCreate(args: LoaderFunctionArgs) {
  const actor = await requireMember(args);
  if (!canCreateMachine(actor)) forbidden();
  return actor;
}

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireCreate(args);
  const url = new URL(args.request.url);
  return pageData(
    await runLoader(() =>
      loadNewMachinePage(actor, {
        modelq: url.searchParams.get("modelq"),
        name: url.searchParams.get("name"),
        modelId: url.searchParams.get("modelId"),
        locationId: url.searchParams.get("locationId"),
        ownerId: url.searchParams.get("ownerId"),
      }),
    ),
  );
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireCreate(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    const created = await createMachine(actor, parseInput(machineInput, form));
    return redirect(`/machines/${created.id}?created=1`);
  });
}

export default function NewMachine() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = result?.ok === false ? valuesFor(result) : d.prefill;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p className="text-sm">
        <a href="/machines">← Machines</a>
      </p>
      <h1 className="text-2xl font-bold">Add a machine</h1>
      {d.locations.length === 0 ? <FormMessage error="Add a location first: every machine stands somewhere." /> : null}
      <form method="post" className="card space-y-4" noValidate>
        <FormMessage
          error={errors.form ?? (result?.ok === false ? "Please check the highlighted fields." : undefined)}
        />
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
            Not in the catalogue (homebrew, prototype)?{" "}
            <a href="/models/new?returnTo=/machines/new">Create a custom model</a>.
          </p>
        ) : null}
        <button type="submit" className="btn-primary">
          Add machine
        </button>
      </form>
    </div>
  );
}
