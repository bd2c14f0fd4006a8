/**
 * /admin/organization — the organization's settings (organization:manage): its time zone and locale, used by every
 * date PinPoint shows and by the daily digest's "day" (app/use-cases/organization-settings.server.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage, SelectField } from "~/components/form";
import { requireMember, requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import {
  loadOrganizationSettings,
  organizationDateInput,
  saveOrganizationDateSettings,
} from "~/use-cases/organization-settings.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Organization · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  return pageData(await runLoader(async () => loadOrganizationSettings(actor)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args, "organization:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => ({
    ok: true as const,
    intent,
    message: await saveOrganizationDateSettings(actor, parseInput(organizationDateInput, form)),
  }));
}

export default function AdminOrganization() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Organization</h1>
        <p className="text-slate-600">Settings of {d.organizationName}.</p>
      </div>
      <section aria-labelledby="dates-heading" className="card space-y-4">
        <h2 id="dates-heading" className="text-lg font-semibold">
          Time zone and dates
        </h2>
        <p className="text-sm text-slate-700">
          Every date and time PinPoint shows, and the day a daily digest e-mail covers, use this time zone. A date looks
          like this now: <strong>{d.example}</strong>.
        </p>
        <FormMessage error={errors.form} success={messageFor(result)} />
        <form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="dates" />
          <SelectField
            label="Time zone"
            name="timeZone"
            defaultValue={values.timeZone ?? d.timeZone}
            error={errors.timeZone}
            required
          >
            {d.timeZones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, " ")}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Language and region of dates"
            name="locale"
            defaultValue={values.locale ?? d.locale}
            error={errors.locale}
            required
          >
            {d.locales.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="btn-primary">
            Save
          </button>
        </form>
      </section>
    </div>
  );
}
