/**
 * /admin/collections/<id> — one collection. Manual collections (location:edit): rename, describe, delete, and pick
 * machines with checkboxes (only machines at the collection's location when it is tied to one). Automatic
 * collections are read-only here: their machines come from the model fields.
 *
 * (File name `admin.collections_.$collectionId.tsx`: the trailing underscore keeps this page from nesting inside the
 * list page `admin.collections.tsx`; the URL is still /admin/collections/<id>.)
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { CollectionMachines } from "~/components/admin-collection/collection-machines";
import { Field, FormMessage, TextareaField } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { machineCount, machinesSavedMessage } from "~/lib/collection-words";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import {
  collectionMachinesInput,
  deleteManualCollection,
  loadAdminCollectionPage,
  manualCollectionDetailsInput,
  updateCollectionMachines,
  updateManualCollection,
} from "~/use-cases/collections.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction<typeof loader> = ({ data: packed }) => {
  const data = packed ? readPageData(packed) : undefined;
  return [
    { title: data ? `${data.collection.name} · Collections · Admin · PinPoint` : "Collection · Admin · PinPoint" },
  ];
};

const NOT_FOUND = "That collection does not exist.";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireAnyPermission(args, ["organization:manage", "location:edit"]);
  const collectionId = idParam(args.params.collectionId) ?? notFound(NOT_FOUND);
  return pageData(await runLoader(() => loadAdminCollectionPage(actor, collectionId)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "location:edit");
  const collectionId = idParam(args.params.collectionId) ?? notFound(NOT_FOUND);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "rename":
        await updateManualCollection(actor, collectionId, parseInput(manualCollectionDetailsInput, form));
        return { ok: true as const, intent, message: "Collection saved." };
      case "delete": {
        const deleted = await deleteManualCollection(actor, collectionId);
        return redirect(`/admin/collections?deleted=${encodeURIComponent(deleted.name)}`);
      }
      case "machines": {
        const saved = await updateCollectionMachines(actor, collectionId, parseInput(collectionMachinesInput, form));
        return { ok: true as const, intent, message: machinesSavedMessage(saved) };
      }
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminCollection() {
  const { collection, canEdit, machines } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = errorsFor(result);
  const values = valuesFor(result, "rename");

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <a href="/admin">Admin</a> <span aria-hidden="true">›</span> <a href="/admin/collections">Collections</a>{" "}
          <span aria-hidden="true">›</span> {collection.name}
        </p>
        <h1 className="text-2xl font-bold">{collection.name}</h1>
        <p className="text-slate-600">
          {collection.typeLabel} · {collection.isManual ? "picked by hand" : "generated automatically"}
          {collection.locationName ? ` · ${collection.locationName}` : " · whole organization"} ·{" "}
          {machineCount(collection.machineCount)}
          {collection.typeIsEnabled ? (
            <>
              {" "}
              · <a href={`/collections/${collection.id}`}>public page</a>
            </>
          ) : (
            " · hidden from visitors (type disabled)"
          )}
        </p>
      </div>

      <div aria-live="polite">
        {/* The machine checkboxes have no field of their own to show an error beside: show it here. */}
        <FormMessage
          error={errors.form ?? Object.values(errorsFor(result, "machines"))[0]}
          success={messageFor(result)}
        />
      </div>

      {!collection.isManual ? (
        <p className="card text-sm text-slate-700">
          {collection.criteria ? `${collection.criteria}. ` : ""}This collection follows the machines’ models and is
          rebuilt when machines change or when you regenerate automatic collections.
        </p>
      ) : null}

      {canEdit ? (
        <section className="card space-y-4" aria-labelledby="details-heading">
          <h2 id="details-heading" className="text-lg font-semibold">
            Details
          </h2>
          <form method="post" className="space-y-3" noValidate>
            <input type="hidden" name="intent" value="rename" />
            <Field
              label="Name"
              name="name"
              required
              maxLength={50}
              defaultValue={values.name ?? collection.name}
              error={errors.name}
            />
            <TextareaField
              label="Description (optional)"
              name="description"
              rows={2}
              maxLength={500}
              defaultValue={values.description ?? collection.description ?? ""}
              error={errors.description}
            />
            <button type="submit" className="btn-primary" disabled={busy}>
              Save details
            </button>
          </form>
        </section>
      ) : null}

      <section className="space-y-3" aria-labelledby="machines-heading">
        <h2 id="machines-heading" className="text-lg font-semibold">
          Machines
        </h2>
        <CollectionMachines collection={collection} machines={machines} canEdit={canEdit} busy={busy} />
      </section>

      {canEdit ? (
        <section className="card space-y-3 border-red-200" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete collection
          </h2>
          <p className="text-sm text-slate-600">The machines stay; only this grouping is removed.</p>
          <form method="post">
            <input type="hidden" name="intent" value="delete" />
            <button type="submit" className="btn-danger" disabled={busy}>
              Delete {collection.name}
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
