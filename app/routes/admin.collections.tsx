/**
 * /admin/collections — collection types (organization:manage: enable/disable, order, display name, description,
 * custom manual types, regenerate automatic collections) and collections (location:edit: create manual ones; each
 * links to /admin/collections/<id> for renaming, deleting and picking machines).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminPageHeader } from "~/components/admin-page-header";
import { NewCollectionForm, NewTypeForm } from "~/components/admin-collections/create-forms";
import { TypeCard } from "~/components/admin-collections/type-card";
import { FormMessage } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { refreshMessage, typeSavedMessage } from "~/lib/collection-words";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import {
  collectionTypeCreateInput,
  collectionTypeIdInput,
  collectionTypeSettingsInput,
  collectionTypeToggleInput,
  createCollectionType,
  deleteCollectionType,
  loadAdminCollectionsPage,
  regenerateAutoCollections,
  updateCollectionType,
} from "~/use-cases/collection-types.server";
import { createManualCollection, manualCollectionCreateInput } from "~/use-cases/collections.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Collections · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireAnyPermission(args, ["organization:manage", "location:edit"]);
  return pageData(await runLoader(() => loadAdminCollectionsPage(actor)));
}

const TYPE_INTENTS = ["type-update", "type-toggle", "type-create", "type-delete", "regenerate"];

/** Each form needs its own permission, checked before its input is validated (a refused role learns nothing). */
function requireFor(args: ActionFunctionArgs, intent: string) {
  if (TYPE_INTENTS.includes(intent)) return requirePermission(args, "organization:manage");
  if (intent === "collection-create") return requirePermission(args, "location:edit");
  return requireAnyPermission(args, ["organization:manage", "location:edit"]);
}

export async function action(args: ActionFunctionArgs) {
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  const actor = await requireFor(args, intent);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "regenerate":
        return { ok: true as const, intent, message: refreshMessage(await regenerateAutoCollections(actor)) };
      case "type-create": {
        const created = await createCollectionType(actor, parseInput(collectionTypeCreateInput, form));
        return { ok: true as const, intent, message: `Collection type “${created.name}” created.` };
      }
      case "type-delete": {
        const deleted = await deleteCollectionType(actor, parseInput(collectionTypeIdInput, form).typeId);
        return { ok: true as const, intent, message: `Collection type “${deleted.label}” deleted.` };
      }
      case "type-update": {
        const { typeId, ...patch } = parseInput(collectionTypeSettingsInput, form);
        return {
          ok: true as const,
          intent,
          message: typeSavedMessage(await updateCollectionType(actor, typeId, patch)),
        };
      }
      case "type-toggle": {
        const { typeId, enabled } = parseInput(collectionTypeToggleInput, form);
        return {
          ok: true as const,
          intent,
          message: typeSavedMessage(await updateCollectionType(actor, typeId, { isEnabled: enabled })),
        };
      }
      case "collection-create": {
        const created = await createManualCollection(actor, parseInput(manualCollectionCreateInput, form));
        return { ok: true as const, intent, message: `Collection “${created.name}” created.` };
      }
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminCollections() {
  const { types, collections, locations, canManageTypes, canEditCollections } =
    usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const deleted = params.get("deleted");
  const busy = navigation.state === "submitting";
  const updatedTypeId = valuesFor(result, "type-update").typeId;

  return (
    <div className="space-y-8">
      <AdminPageHeader crumb="Collections" title="Collections">
        <p className="text-slate-600">
          Group machines for visitors: rooms you arrange by hand, or automatic groups by manufacturer and era.{" "}
          <a href="/collections">See the public view</a>.
        </p>
      </AdminPageHeader>

      <div aria-live="polite">
        <FormMessage
          error={errorsFor(result).form}
          success={
            messageFor(result) ??
            (!result && deleted ? `The collection “${deleted.slice(0, 60)}” was deleted.` : undefined)
          }
        />
      </div>

      <section aria-labelledby="types-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="types-heading" className="text-lg font-semibold">
            Collection types
          </h2>
          {canManageTypes ? (
            <form method="post">
              <input type="hidden" name="intent" value="regenerate" />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Regenerate automatic collections
              </button>
            </form>
          ) : null}
        </div>
        {types.length === 0 ? <p className="card text-slate-600">This organization has no collection types.</p> : null}
        <ul className="space-y-4">
          {types.map((t) => (
            <TypeCard
              key={t.id}
              type={t}
              collections={collections.filter((c) => c.typeId === t.id)}
              canManage={canManageTypes}
              busy={busy}
              errors={updatedTypeId === t.id ? errorsFor(result, "type-update") : {}}
            />
          ))}
        </ul>
      </section>

      {canEditCollections ? (
        <NewCollectionForm
          manualTypes={types.filter((t) => !t.isAutoGenerated)}
          locations={locations}
          busy={busy}
          errors={errorsFor(result, "collection-create")}
          values={valuesFor(result, "collection-create")}
        />
      ) : null}

      {canManageTypes ? (
        <NewTypeForm busy={busy} errors={errorsFor(result, "type-create")} values={valuesFor(result, "type-create")} />
      ) : null}
    </div>
  );
}
