/** Add a location (location:edit, or location:create where a role grants it). */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { LocationFields } from "~/components/location-fields";
import { requireMember } from "~/lib/access.server";
import { forbidden } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { locationFormValues, locationSchema } from "~/lib/location-form.server";
import { createLocation } from "../../db/queries/locations.server";

export const meta: MetaFunction = () => [{ title: "Add a location · PinPoint" }];

async function requireCreate(args: LoaderFunctionArgs) {
  const access = await requireMember(args);
  if (!access.can("location:edit") && !access.can("location:create")) forbidden();
  return access;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireCreate(args);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId } = await requireCreate(args);
  const form = formToObject(await readForm(args.request));
  const parsed = parseWith(locationSchema, form);
  if (!parsed.ok) return validationError(parsed.errors, locationFormValues(form));
  const created = await createLocation(db, organizationId, parsed.data);
  throw redirect(`/locations/${created.id}?created=1`);
}

type ActionResult = { ok: false; errors: Record<string, string>; values?: Record<string, string> };

export default function NewLocation() {
  const result = useActionData() as ActionResult | undefined;
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p className="text-sm">
        <Link to="/locations">← Locations</Link>
      </p>
      <h1 className="text-2xl font-bold">Add a location</h1>
      <Form method="post" className="card space-y-4" noValidate>
        <FormMessage error={errors.form ?? (result ? "Please check the highlighted fields." : undefined)} />
        <LocationFields values={result?.values ?? {}} errors={errors} />
        <button type="submit" className="btn-primary">
          Add location
        </button>
      </Form>
    </div>
  );
}
