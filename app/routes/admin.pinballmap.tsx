/**
 * /admin/pinballmap (organization:manage) — Pinball Map sync for the organization's locations.
 *
 * 1. Enable the integration (upserts PinballMapConfig) and choose whether unknown titles create catalogue models.
 * 2. Give a location its Pinball Map id.
 * 3. Preview (GET ?preview=<locationId>): fetches the lineup from Pinball Map and shows three lists — in sync, only on
 *    Pinball Map, only here — with counts. Read-only.
 * 4. Confirm (POST intent=apply with the preview's checksum): re-fetches, refuses if anything changed since the
 *    preview (409), otherwise applies everything in one transaction (app/use-cases/pinballmap.server.ts).
 * Pinball Map being down, slow or answering garbage shows a clear message (502/504) and changes nothing.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Credit, IntegrationSection, LocationsSection } from "~/components/admin-pinballmap/settings";
import { PreviewProblem, SyncPreview } from "~/components/admin-pinballmap/sync-preview";
import { FormMessage } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, notFound, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import { previewAnswer, runSyncAction } from "~/lib/pinballmap-answers.server";
import { configMessage, linkMessage, syncResultMessage } from "~/lib/pinballmap-words";
import {
  applyLocationSync,
  linkLocation,
  loadPinballMapPage,
  locationLinkInput,
  pinballMapConfigInput,
  previewLocationSync,
  savePinballMapConfig,
  syncApplyInput,
} from "~/use-cases/pinballmap.server";
import { pageData, usePageData } from "~/lib/page-data";
import type { Actor } from "~/use-cases/actor";

export const meta: MetaFunction = () => [{ title: "Pinball Map · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  const page = await runLoader(() => loadPinballMapPage(actor));
  const previewParam = new URL(args.request.url).searchParams.get("preview");
  const { preview, status } =
    previewParam === null ? { preview: null, status: 200 } : await loadPreview(actor, previewParam);
  return data(pageData({ ...page, preview }), { status });
}

async function loadPreview(actor: Actor, previewParam: string) {
  const locationId = idParam(previewParam) ?? notFound("That location does not exist.");
  // A preview that could not be made is not a success: the status says so too (the page still shows why).
  const answer = await previewAnswer(() => previewLocationSync(actor, locationId));
  const preview = answer.ok
    ? { ...answer.preview, ok: true as const }
    : { ok: false as const, message: answer.message, locationId };
  return { preview, status: answer.status };
}

/** After a sync attempt always reload, so the preview shows the new state (or the changed remote list). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult?.intent === "apply" ? true : defaultShouldRevalidate;

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runSyncAction({ intent, form }, async () => {
    switch (intent) {
      case "config": {
        const input = parseInput(pinballMapConfigInput, form);
        await savePinballMapConfig(actor, input);
        return { ok: true as const, intent, message: configMessage(input.apiEnabled) };
      }
      case "set-location":
        return {
          ok: true as const,
          intent,
          message: linkMessage(await linkLocation(actor, parseInput(locationLinkInput, form))),
        };
      case "apply":
        return {
          ok: true as const,
          intent,
          message: syncResultMessage(await applyLocationSync(actor, parseInput(syncApplyInput, form))),
        };
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminPinballMap() {
  const { configEnabled, createMissingModels, locations, preview } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const applying = navigation.state === "submitting" && navigation.formData?.get("intent") === "apply";
  const errors = errorsFor(result);

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <a href="/admin">Admin</a> <span aria-hidden="true">›</span> Pinball Map
        </p>
        <h1 className="text-2xl font-bold">Pinball Map sync</h1>
        <p className="text-slate-600">
          Compare each location’s lineup on <a href="https://pinballmap.com">pinballmap.com</a> with your machines here,
          and add what is missing. Nothing changes until you confirm.
        </p>
        <Credit />
      </div>

      <div aria-live="polite">
        {/* The confirm form's hidden fields have no place to show an error beside them. */}
        <FormMessage error={errors.form ?? Object.values(errorsFor(result, "apply"))[0]} success={messageFor(result)} />
      </div>

      <IntegrationSection enabled={configEnabled} createMissingModels={createMissingModels} busy={busy} />

      <LocationsSection
        locations={locations}
        enabled={configEnabled}
        busy={busy}
        failed={{ errors: errorsFor(result, "set-location"), values: valuesFor(result, "set-location") }}
      />

      {preview === null ? null : preview.ok ? (
        <SyncPreview preview={preview} busy={busy} applying={applying} />
      ) : (
        <PreviewProblem message={preview.message} locationId={preview.locationId} />
      )}
    </div>
  );
}
