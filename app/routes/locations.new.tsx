/** Add a location (location:edit, or location:create where a role grants it). */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { FormMessage } from "~/components/form";
import { LocationFields } from "~/components/location-fields";
import { requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { forbidden, runAction } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { canCreateLocation, createLocation, locationInput } from "~/use-cases/locations.server";

export const meta: MetaFunction = () => [{ title: "Add a location · PinPoint" }];

async function requireCreate(args: LoaderFunctionArgs) {
  const access = await requireMember(args);
  if (!canCreateLocation(access)) forbidden();
  return access;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireCreate(args);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireCreate(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    const created = await createLocation(actor, parseInput(locationInput, form));
    return redirect(`/locations/${created.id}?created=1`);
  });
}

export default function NewLocation() {
  const result = useActionResult();
  const errors = errorsFor(result);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p className="text-sm">
        <a href="/locations">← Locations</a>
      </p>
      <h1 className="text-2xl font-bold">Add a location</h1>
      <form method="post" className="card space-y-4" noValidate>
        <FormMessage error={errors.form} />
        <LocationFields values={valuesFor(result)} errors={errors} />
        <button type="submit" className="btn-primary">
          Add location
        </button>
      </form>
    </div>
  );
}
