/**
 * /admin/pinballmap (organization:manage) — Pinball Map sync for the organization's locations.
 *
 * 1. Enable the integration (upserts PinballMapConfig) and choose whether unknown titles create catalogue models.
 * 2. Give a location its Pinball Map id.
 * 3. Preview (GET ?preview=<locationId>): fetches the lineup from Pinball Map and shows three lists — in sync, only on
 *    Pinball Map, only here — with counts. Read-only.
 * 4. Confirm (POST intent=apply with the preview's checksum): re-fetches, refuses if anything changed since the
 *    preview (409), otherwise creates missing models and machines, removes only the only-here machines the admin
 *    ticked that have no issues, stamps lastSyncAt — all in one transaction.
 * Pinball Map being down, slow or answering garbage shows a clear message (502/504) and changes nothing.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { recordAudit } from "../../db/queries/audit.server";
import { getSyncStatus, setLocationPinballMapId, upsertPinballMapConfig, type ApplySyncResult } from "../../db/queries/pinballmap.server";
import { Field, FormMessage } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { withTransaction } from "~/lib/db.server";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { applyLocationSync, pinballMapLocationPage, previewLocationSync } from "~/lib/pinballmap.server";

export const meta: MetaFunction = () => [{ title: "Pinball Map · Admin · PinPoint" }];

function formatWhen(date: Date | string | null): string | null {
  if (!date) return null;
  const d = typeof date === "string" ? new Date(date) : date;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const idParam = z.string().trim().min(1).max(64);

async function loadPage(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(args, "organization:manage");
  const status = await getSyncStatus(db, organizationId);
  const previewParam = new URL(args.request.url).searchParams.get("preview");
  let preview: Awaited<ReturnType<typeof previewLocationSync>> | null = null;
  if (previewParam !== null) {
    const id = idParam.safeParse(previewParam);
    if (!id.success) notFound("That location does not exist.");
    preview = await previewLocationSync(db, organizationId, id.data);
    if (!preview.ok && preview.status === 404) notFound(preview.message);
  }
  const body = {
    configEnabled: status.configEnabled,
    createMissingModels: status.config?.createMissingModels ?? true,
    locations: status.locations.map((l) => ({
      id: l.id,
      name: l.name,
      pinballMapId: l.pinballMapId,
      pinballMapUrl: l.pinballMapId ? pinballMapLocationPage(l.pinballMapId) : null,
      machineCount: l.machineCount,
      lastSyncAt: formatWhen(l.lastSyncAt),
    })),
    preview: preview
      ? preview.ok
        ? {
            ok: true as const,
            ...preview.preview,
            location: { ...preview.preview.location, lastSyncAt: formatWhen(preview.preview.location.lastSyncAt) },
            pinballMapUrl: pinballMapLocationPage(preview.preview.location.pinballMapId),
            ignored: preview.ignored,
            fetchedAt: formatWhen(preview.fetchedAt),
          }
        : { ok: false as const, message: preview.message, locationId: previewParam ?? "" }
      : null,
  };
  return { body, status: preview && !preview.ok ? preview.status : 200 };
}

type PageData = Awaited<ReturnType<typeof loadPage>>["body"];

export async function loader(args: LoaderFunctionArgs) {
  const { body, status } = await loadPage(args);
  // An upstream failure is not a success: say so in the status code too (the page still renders the message).
  return data(body, { status });
}

/** After a sync attempt always reload, so the preview shows the new state (or the changed remote list). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { intent?: string } | undefined)?.intent === "apply" ? true : defaultShouldRevalidate;

const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true");

const configSchema = z.object({ intent: z.literal("config"), apiEnabled: checkbox, createMissingModels: checkbox });
const locationSchema = z.object({
  intent: z.literal("set-location"),
  locationId: fields.id,
  pinballMapId: z
    .string()
    .trim()
    .max(12, "Enter the number from the Pinball Map location page")
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .string()
        .regex(/^[0-9]+$/, "Enter the number from the Pinball Map location page")
        .transform(Number)
        .pipe(z.number().int().min(1, "Enter a positive number").max(2_147_483_647, "That number is too large"))
        .nullable(),
    ),
});
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().trim().min(1).max(64)).max(1000));
const applySchema = z.object({
  intent: z.literal("apply"),
  locationId: fields.id,
  checksum: z.string().trim().regex(/^[0-9a-f]{32}$/, "Run the preview again before confirming."),
  remove: idList,
});

type ActionResult =
  | { ok: true; intent: string; message: string; result?: ApplySyncResult }
  | { ok: false; intent?: string; errors: Record<string, string>; values?: Record<string, unknown> };

function resultMessage(r: ApplySyncResult): string {
  const parts = [
    `${r.added} ${r.added === 1 ? "machine" : "machines"} added`,
    `${r.modelsCreated} new catalogue ${r.modelsCreated === 1 ? "model" : "models"}`,
    `${r.inSync} already in sync`,
    `${r.removed} removed`,
  ];
  if (r.keptLocal > 0) parts.push(`${r.keptLocal} only here kept`);
  if (r.skipped.length > 0) parts.push(`${r.skipped.length} skipped`);
  return `Sync of ${r.locationName} done: ${parts.join(", ")}.`;
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(args, "organization:manage");
  const form = formToObject(await readForm(args.request));
  const audit = (tx: typeof db, action: string, targetType: string, targetId: string | null, meta: Record<string, unknown>) =>
    recordAudit(tx, { organizationId, actorId: user?.id ?? null, action, targetType, targetId, meta, ipAddress: clientIp(args.context) });

  switch (form.intent) {
    case "config": {
      const parsed = parseWith(configSchema, form);
      if (!parsed.ok) return validationError(parsed.errors);
      await withTransaction(db, async (tx) => {
        await upsertPinballMapConfig(tx, organizationId, {
          apiEnabled: parsed.data.apiEnabled,
          createMissingModels: parsed.data.createMissingModels,
        });
        await audit(tx, "pinballmap.config_changed", "PinballMapConfig", null, {
          apiEnabled: parsed.data.apiEnabled,
          createMissingModels: parsed.data.createMissingModels,
        });
      });
      return data<ActionResult>({
        ok: true,
        intent: "config",
        message: parsed.data.apiEnabled ? "Pinball Map sync is enabled." : "Pinball Map sync is disabled.",
      });
    }
    case "set-location": {
      const parsed = parseWith(locationSchema, form);
      if (!parsed.ok) {
        return data<ActionResult>(
          { ok: false, intent: "set-location", errors: parsed.errors, values: { locationId: form.locationId, pinballMapId: form.pinballMapId } },
          { status: 400 },
        );
      }
      const outcome = await withTransaction(db, async (tx) => {
        const r = await setLocationPinballMapId(tx, organizationId, parsed.data.locationId, parsed.data.pinballMapId);
        if (r.ok) await audit(tx, "location.pinballmap_id_set", "Location", r.location.id, { pinballMapId: r.location.pinballMapId });
        return r;
      });
      if (!outcome.ok) {
        if (outcome.status === 404) notFound(outcome.message);
        return data<ActionResult>(
          {
            ok: false,
            intent: "set-location",
            errors: { [outcome.field ?? "form"]: outcome.message },
            values: { locationId: parsed.data.locationId, pinballMapId: form.pinballMapId },
          },
          { status: outcome.status },
        );
      }
      return data<ActionResult>({
        ok: true,
        intent: "set-location",
        message:
          outcome.location.pinballMapId === null
            ? `${outcome.location.name} is no longer linked to Pinball Map.`
            : `${outcome.location.name} is linked to Pinball Map location ${outcome.location.pinballMapId}.`,
      });
    }
    case "apply": {
      const parsed = parseWith(applySchema, form);
      if (!parsed.ok) return data<ActionResult>({ ok: false, intent: "apply", errors: { form: Object.values(parsed.errors)[0] } }, { status: 400 });
      const outcome = await applyLocationSync(db, organizationId, {
        locationId: parsed.data.locationId,
        checksum: parsed.data.checksum,
        removeMachineIds: parsed.data.remove,
        onApplied: (tx, r) =>
          audit(tx, "pinballmap.synced", "Location", r.locationId, {
            added: r.added,
            modelsCreated: r.modelsCreated,
            removed: r.removed,
            skipped: r.skipped.length,
          }),
      });
      if (!outcome.ok) {
        if (outcome.status === 404) notFound(outcome.message);
        return data<ActionResult>({ ok: false, intent: "apply", errors: { form: outcome.message } }, { status: outcome.status });
      }
      return data<ActionResult>({ ok: true, intent: "apply", message: resultMessage(outcome.result), result: outcome.result });
    }
    default:
      return validationError({ form: "Unknown action." });
  }
}

function Credit() {
  return (
    <p className="text-xs text-slate-500">
      Data from <a href="https://pinballmap.com">Pinball Map</a> (
      <a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>).
    </p>
  );
}

export default function AdminPinballMap() {
  const { configEnabled, createMissingModels, locations, preview } = useLoaderData<typeof loader>() as unknown as PageData;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const applying = navigation.state === "submitting" && navigation.formData?.get("intent") === "apply";
  const failed = result && !result.ok ? result : undefined;
  const locationErrors = failed?.intent === "set-location" ? failed.errors : {};
  const removable = preview?.ok ? preview.onlyLocal.filter((l) => l.removable) : [];

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin">Admin</Link> <span aria-hidden="true">›</span> Pinball Map
        </p>
        <h1 className="text-2xl font-bold">Pinball Map sync</h1>
        <p className="text-slate-600">
          Compare each location’s lineup on <a href="https://pinballmap.com">pinballmap.com</a> with your machines here,
          and add what is missing. Nothing changes until you confirm.
        </p>
        <Credit />
      </div>

      <div aria-live="polite">
        <FormMessage
          error={failed && failed.intent !== "set-location" ? failed.errors.form : locationErrors.form}
          success={result && result.ok ? result.message : undefined}
        />
        {result && result.ok && result.result && result.result.skipped.length > 0 ? (
          <div className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            <p className="font-medium">Skipped:</p>
            <ul className="list-disc pl-5">
              {result.result.skipped.map((s, i) => (
                <li key={i}>
                  {s.name}: {s.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>

      <section className="card space-y-3" aria-labelledby="integration-heading">
        <h2 id="integration-heading" className="text-lg font-semibold">
          Integration
        </h2>
        <p className="text-sm">
          Status:{" "}
          <span className={`badge ${configEnabled ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700"}`}>
            {configEnabled ? "Enabled" : "Disabled"}
          </span>
        </p>
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="config" />
          <div className="flex items-center gap-2">
            <input id="apiEnabled" type="checkbox" name="apiEnabled" defaultChecked={configEnabled} className="h-4 w-4" />
            <label htmlFor="apiEnabled" className="text-sm">
              Enable Pinball Map sync for this organization
            </label>
          </div>
          <div className="flex items-center gap-2">
            <input id="createMissingModels" type="checkbox" name="createMissingModels" defaultChecked={createMissingModels} className="h-4 w-4" />
            <label htmlFor="createMissingModels" className="text-sm">
              Add titles we don’t know yet to the machine catalogue (otherwise they are skipped)
            </label>
          </div>
          <button type="submit" className="btn-primary" disabled={busy}>
            Save integration settings
          </button>
        </Form>
      </section>

      <section className="space-y-3" aria-labelledby="locations-heading">
        <h2 id="locations-heading" className="text-lg font-semibold">
          Locations
        </h2>
        {locations.length === 0 ? <p className="card text-slate-600">This organization has no locations yet.</p> : null}
        <ul className="space-y-3">
          {locations.map((l) => {
            const errs = failed?.intent === "set-location" && failed.values?.locationId === l.id ? failed.errors : {};
            return (
              <li key={l.id} className="card space-y-3">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 className="font-semibold">{l.name}</h3>
                  <span className="text-sm text-slate-600">
                    {l.machineCount} {l.machineCount === 1 ? "machine" : "machines"} · last sync: {l.lastSyncAt ?? "never"}
                  </span>
                </div>
                <Form method="post" className="flex flex-wrap items-end gap-2" noValidate>
                  <input type="hidden" name="intent" value="set-location" />
                  <input type="hidden" name="locationId" value={l.id} />
                  <Field
                    label={`Pinball Map location id of ${l.name}`}
                    name="pinballMapId"
                    inputMode="numeric"
                    pattern="[0-9]*"
                    maxLength={12}
                    defaultValue={
                      failed?.intent === "set-location" && failed.values?.locationId === l.id
                        ? String(failed.values?.pinballMapId ?? "")
                        : (l.pinballMapId ?? "")
                    }
                    error={errs.pinballMapId}
                    hint="The number in the location’s Pinball Map address. Leave empty to unlink."
                    id={`pbm-${l.id}`}
                    className="min-w-[14rem] flex-1"
                  />
                  <button type="submit" className="btn-secondary" disabled={busy || !configEnabled}>
                    Save id
                  </button>
                </Form>
                <div className="flex flex-wrap items-center gap-3 text-sm">
                  {l.pinballMapId && configEnabled ? (
                    <Form method="get">
                      <input type="hidden" name="preview" value={l.id} />
                      <button type="submit" className="btn-primary" disabled={busy}>
                        Preview sync of {l.name}
                      </button>
                    </Form>
                  ) : (
                    <span className="text-slate-600">
                      {configEnabled ? "Set the Pinball Map id to preview a sync." : "Enable the integration to sync."}
                    </span>
                  )}
                  {l.pinballMapUrl ? <a href={l.pinballMapUrl}>View on Pinball Map</a> : null}
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      {preview ? (
        <section className="space-y-4" aria-labelledby="preview-heading">
          <h2 id="preview-heading" className="text-lg font-semibold">
            Preview{preview.ok ? `: ${preview.location.name}` : ""}
          </h2>
          {!preview.ok ? (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800">
              <p className="font-medium">The preview could not be made.</p>
              <p>{preview.message}</p>
              <p className="mt-2">
                <Link to={`?preview=${encodeURIComponent(preview.locationId)}`}>Try again</Link>
              </p>
            </div>
          ) : (
            <>
              <p className="text-sm text-slate-600">
                Fetched from Pinball Map location {preview.location.pinballMapId} at {preview.fetchedAt}.{" "}
                <a href={preview.pinballMapUrl}>Open on Pinball Map</a>
              </p>
              <dl className="grid grid-cols-3 gap-3 text-center">
                <div className="card">
                  <dt className="text-sm text-slate-600">In sync</dt>
                  <dd className="text-2xl font-bold">{preview.counts.inSync}</dd>
                </div>
                <div className="card">
                  <dt className="text-sm text-slate-600">Only on Pinball Map</dt>
                  <dd className="text-2xl font-bold">{preview.counts.onlyRemote}</dd>
                </div>
                <div className="card">
                  <dt className="text-sm text-slate-600">Only here</dt>
                  <dd className="text-2xl font-bold">{preview.counts.onlyLocal}</dd>
                </div>
              </dl>

              <Form method="post" className="space-y-4">
                <input type="hidden" name="intent" value="apply" />
                <input type="hidden" name="locationId" value={preview.location.id} />
                <input type="hidden" name="checksum" value={preview.checksum} />

                <details open={preview.onlyRemote.length > 0} className="card">
                  <summary className="cursor-pointer font-semibold">Only on Pinball Map ({preview.onlyRemote.length}) — will be added</summary>
                  {preview.onlyRemote.length === 0 ? (
                    <p className="mt-2 text-sm text-slate-600">Nothing to add.</p>
                  ) : (
                    <ul className="mt-2 divide-y divide-slate-100 text-sm">
                      {preview.onlyRemote.map((r) => (
                        <li key={`${r.pbmId}-${r.opdbId ?? r.ipdbId}`} className="py-1">
                          <span className="font-medium">{r.name}</span>
                          <span className="text-slate-600"> · {[r.manufacturer, r.year].filter(Boolean).join(" · ")}</span>{" "}
                          {r.model === "new" ? (
                            <span className="badge bg-indigo-50 text-indigo-900">new catalogue model</span>
                          ) : r.model === "unavailable" ? (
                            <span className="badge bg-amber-100 text-amber-900">will be skipped: {r.note}</span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </details>

                <details open={preview.onlyLocal.length > 0} className="card">
                  <summary className="cursor-pointer font-semibold">Only here ({preview.onlyLocal.length}) — kept unless you tick them</summary>
                  {preview.onlyLocal.length === 0 ? (
                    <p className="mt-2 text-sm text-slate-600">Every machine here is on Pinball Map.</p>
                  ) : (
                    <fieldset className="mt-2">
                      <legend className="text-sm text-slate-600">
                        Tick machines to remove from PinPoint. Machines with issues are never removed.
                      </legend>
                      <ul className="mt-2 divide-y divide-slate-100 text-sm">
                        {preview.onlyLocal.map((l) => (
                          <li key={l.id} className="flex items-start gap-2 py-1">
                            {l.removable ? (
                              <input id={`remove-${l.id}`} type="checkbox" name="remove" value={l.id} className="mt-1 h-4 w-4" />
                            ) : (
                              <span className="mt-1 inline-block h-4 w-4" aria-hidden="true" />
                            )}
                            <label htmlFor={l.removable ? `remove-${l.id}` : undefined}>
                              <span className="font-medium">{l.name}</span>
                              <span className="text-slate-600"> · {[l.manufacturer, l.year].filter(Boolean).join(" · ")}</span>
                              {!l.removable ? (
                                <span className="badge ml-1 bg-slate-100 text-slate-700">
                                  {l.issueCount} {l.issueCount === 1 ? "issue" : "issues"} — kept
                                </span>
                              ) : null}
                            </label>
                          </li>
                        ))}
                      </ul>
                    </fieldset>
                  )}
                </details>

                <details className="card">
                  <summary className="cursor-pointer font-semibold">In sync ({preview.inSync.length})</summary>
                  {preview.inSync.length === 0 ? (
                    <p className="mt-2 text-sm text-slate-600">No machine matches yet.</p>
                  ) : (
                    <ul className="mt-2 divide-y divide-slate-100 text-sm">
                      {preview.inSync.map((p) => (
                        <li key={p.machineId} className="py-1">
                          <Link to={`/m/${p.machineId}`}>{p.machineName}</Link>
                          <span className="text-slate-600"> · {[p.manufacturer, p.year].filter(Boolean).join(" · ")}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </details>

                {preview.ignored.length > 0 ? (
                  <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                    <p className="font-medium">{preview.ignored.length} entries from Pinball Map could not be used:</p>
                    <ul className="list-disc pl-5">
                      {preview.ignored.map((i, n) => (
                        <li key={n}>
                          {i.name ?? `Pinball Map machine ${i.pbmId ?? "?"}`}: {i.reason}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}

                <div className="flex flex-wrap items-center gap-3">
                  <button type="submit" className="btn-primary" disabled={busy}>
                    {applying
                      ? "Applying…"
                      : preview.counts.onlyRemote > 0
                        ? `Confirm: add ${preview.counts.onlyRemote} ${preview.counts.onlyRemote === 1 ? "machine" : "machines"}`
                        : "Confirm sync"}
                  </button>
                  <span className="text-sm text-slate-600">
                    {removable.length > 0 ? "Ticked machines are removed too. " : ""}If Pinball Map changes before you confirm,
                    you will be asked to review again.
                  </span>
                </div>
              </Form>
              <Credit />
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}
