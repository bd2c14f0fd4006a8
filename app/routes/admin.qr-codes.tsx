/**
 * QR codes of the whole organization (organization:manage): how many machines have a label made, make the missing
 * ones, regenerate every code (with confirmation: all printed stickers stop working), and print sheets per location.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, readFormObject } from "~/lib/forms.server";
import { loadQrAdminPage, makeMissingLabels, regenerateAllQrCodes } from "~/use-cases/qr.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "QR codes · Admin · PinPoint" }];

const machines = (n: number) => `${n} ${n === 1 ? "machine" : "machines"}`;

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  const url = new URL(args.request.url);
  const done = url.searchParams.get("done");
  const count = Number.parseInt(url.searchParams.get("count") ?? "0", 10) || 0;
  let flash: string | null = null;
  if (done === "generated")
    flash = count ? `Labels made for ${machines(count)}. Print them below.` : "Every machine already had a label.";
  if (done === "regenerated")
    flash = `New codes made for ${machines(count)}. Print and replace every sticker: the old ones no longer work.`;
  return pageData({ ...(await runLoader(() => loadQrAdminPage(actor))), flash });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "generate-missing":
        return redirect(`/admin/qr-codes?done=generated&count=${await makeMissingLabels(actor)}`);
      case "regenerate-all":
        return redirect(
          `/admin/qr-codes?done=regenerated&count=${await regenerateAllQrCodes(actor, form.confirm === "yes")}`,
        );
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminQrCodes() {
  const { stats, locations, flash } = usePageData(useLoaderData<typeof loader>());
  const errors = errorsFor(useActionResult());
  return (
    <div className="max-w-3xl space-y-8">
      <p className="text-sm">
        <a href="/admin">← Admin</a>
      </p>
      <h1 className="text-2xl font-bold">QR codes</h1>
      {flash ? <FormMessage success={flash} /> : null}
      <FormMessage error={errors.form} />

      <section aria-labelledby="stats-heading" className="card space-y-3">
        <h2 id="stats-heading" className="text-lg font-semibold">
          Overview
        </h2>
        <dl className="grid grid-cols-3 gap-4 text-center">
          <div>
            <dt className="text-sm text-slate-600">Machines</dt>
            <dd className="text-2xl font-bold tabular-nums">{stats.total}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">With a label</dt>
            <dd className="text-2xl font-bold tabular-nums">{stats.withQr}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">Without a label</dt>
            <dd className="text-2xl font-bold tabular-nums">{stats.withoutQr}</dd>
          </div>
        </dl>
        <p className="text-sm text-slate-700">
          Every machine has a working code; “with a label” counts the machines whose code was made (or remade) for
          printing.
        </p>
        {stats.withoutQr > 0 ? (
          <form method="post">
            <input type="hidden" name="intent" value="generate-missing" />
            <button type="submit" className="btn-primary">
              Make labels for {stats.withoutQr} {stats.withoutQr === 1 ? "machine" : "machines"}
            </button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="print-heading" className="card space-y-3">
        <h2 id="print-heading" className="text-lg font-semibold">
          Print label sheets
        </h2>
        {locations.length === 0 ? (
          <p className="text-slate-700">No locations yet.</p>
        ) : (
          <ul className="space-y-2">
            {locations.map((l) => (
              <li key={l.id} className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  {l.name}{" "}
                  <span className="text-sm text-slate-600">
                    ({l.machineCount} {l.machineCount === 1 ? "machine" : "machines"})
                  </span>
                </span>
                {l.machineCount > 0 ? (
                  <a href={`/print/labels?location=${l.id}`} className="btn-secondary">
                    Print sheet
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="regen-heading" className="card space-y-3 border-red-200">
        <h2 id="regen-heading" className="text-lg font-semibold">
          Regenerate every code
        </h2>
        <p className="text-sm text-slate-700">
          Use this when stickers were copied or misused. All {stats.total} printed stickers stop working at once: until
          you replace them, a scan leads to the list of machines with a “code not recognised” notice.
        </p>
        <FormMessage error={errors.regenerate} />
        <form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="regenerate-all" />
          <div className="flex items-start gap-2">
            <input id="confirm-regen" type="checkbox" name="confirm" value="yes" required className="mt-1 h-4 w-4" />
            <label htmlFor="confirm-regen" className="text-sm">
              I understand that every printed QR sticker stops working.
            </label>
          </div>
          <button type="submit" className="btn-danger">
            Regenerate all codes
          </button>
        </form>
      </section>
    </div>
  );
}
