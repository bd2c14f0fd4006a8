/**
 * A location: address, its machines with status and a text filter, and (with permission) edit and delete.
 * Delete is refused with a clear message while machines are there (Machine.location is Restrict).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage, SearchInput } from "~/components/form";
import { LocationFields } from "~/components/location-fields";
import { MachineStatusBadge } from "~/components/machine-status";
import { CollectionOptions } from "~/components/options";
import { DeleteSection, EditSection } from "~/components/record-sections";
import { TitledSection } from "~/components/titled-section";
import { requireMember, requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import { requireCan } from "~/use-cases/actor";
import { deleteLocation, loadLocationPage, locationInput, updateLocation } from "~/use-cases/locations.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [{ title: d ? `${d.location.name} · PinPoint` : "Location · PinPoint" }];
};

const NOT_FOUND = "We could not find that location.";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "location:view");
  const locationId = idParam(args.params.locationId) ?? notFound(NOT_FOUND);
  const url = new URL(args.request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  // Filter by a collection (rooms of this location, or an enabled automatic group such as a manufacturer).
  const collection = url.searchParams.get("collection")?.slice(0, 64) || undefined;
  const page = await runLoader(() => loadLocationPage(actor, locationId, { q, collection }));
  return pageData({
    ...page,
    location: {
      ...page.location,
      lastSyncAt: page.location.lastSyncAt ? page.location.lastSyncAt.toISOString() : null,
    },
    q,
    created: url.searchParams.get("created") === "1",
    saved: url.searchParams.get("saved") === "1",
  });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args);
  const locationId = idParam(args.params.locationId) ?? notFound(NOT_FOUND);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "update":
        // Permission before validation: someone who may not edit learns nothing about the form's rules.
        requireCan(actor, "location:edit");
        await updateLocation(actor, locationId, parseInput(locationInput, form));
        return redirect(`/locations/${locationId}?saved=1`);
      case "delete":
        await deleteLocation(actor, locationId, form.confirm === "yes");
        return redirect("/locations");
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function LocationPage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const { location } = d;
  const cityLine = [location.city, [location.state, location.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  const editFailed = result?.ok === false && result.intent === "update";
  return (
    <div className="space-y-8">
      <p className="text-sm">
        <a href="/locations">← Locations</a>
      </p>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{location.name}</h1>
        {d.created ? <FormMessage success="Location added." /> : null}
        {d.saved ? <FormMessage success="Changes saved." /> : null}
        <address className="not-italic text-slate-700">
          {location.street ? <span className="block">{location.street}</span> : null}
          {cityLine ? <span className="block">{cityLine}</span> : null}
          {location.phone ? (
            <span className="block">
              <a href={`tel:${location.phone.replace(/[^0-9+]/g, "")}`}>{location.phone}</a>
            </span>
          ) : null}
          {location.website ? (
            <span className="block">
              <a href={location.website} rel="noopener noreferrer nofollow">
                {location.website.replace(/^https?:\/\//, "").replace(/\/$/, "")}
              </a>
            </span>
          ) : null}
        </address>
        {location.description ? (
          <p className="max-w-prose whitespace-pre-line text-slate-800">{location.description}</p>
        ) : null}
        {location.pinballMapId ? (
          <p className="text-sm text-slate-600">
            On{" "}
            <a href={`https://pinballmap.com/map?by_location_id=${location.pinballMapId}`} rel="noopener noreferrer">
              Pinball Map
            </a>{" "}
            (#{location.pinballMapId})
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2 pt-2">
          {d.can.addMachine ? (
            <a href={`/machines/new?locationId=${location.id}`} className="btn-primary">
              Add a machine here
            </a>
          ) : null}
          {d.can.printLabels ? (
            <a href={`/print/labels?location=${location.id}`} className="btn-secondary">
              Print QR labels
            </a>
          ) : null}
        </div>
      </header>

      {d.machines ? (
        <TitledSection headingId="machines-heading" title={<>Machines ({d.machines.total})</>} className="space-y-3">
          <form method="get" role="search" className="flex gap-2">
            <SearchInput id="loc-q" label="Filter machines" defaultValue={d.q} placeholder="Filter by name or maker" />
            {d.collections.length ? (
              <>
                <label htmlFor="loc-collection" className="sr-only">
                  Collection
                </label>
                <select
                  id="loc-collection"
                  name="collection"
                  defaultValue={d.collection}
                  className="input max-w-[14rem]"
                >
                  <option value="">All collections</option>
                  <CollectionOptions collections={d.collections} />
                </select>
              </>
            ) : null}
            <button type="submit" className="btn-secondary">
              Filter
            </button>
          </form>
          {d.machines.rows.length === 0 ? (
            <p className="card text-slate-700">
              {d.q || d.collection ? "No machine here matches this filter." : "No machines at this location yet."}
            </p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {d.machines.rows.map((m) => (
                <li key={m.id} className="card flex flex-col gap-1">
                  <span className="flex items-start justify-between gap-2">
                    <a href={d.isMember ? `/machines/${m.id}` : `/m/${m.id}`} className="font-semibold">
                      {m.name}
                    </a>
                    <MachineStatusBadge status={m.status} />
                  </span>
                  {m.subtitle ? <span className="text-sm text-slate-600">{m.subtitle}</span> : null}
                  <span className="text-sm text-slate-700">
                    {m.openIssueCount === 0
                      ? "No open issues"
                      : `${m.openIssueCount} open ${m.openIssueCount === 1 ? "issue" : "issues"}`}
                    {m.ownerName ? ` · owner ${m.ownerName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </TitledSection>
      ) : null}

      {d.can.edit ? (
        <EditSection title="Edit location" failed={editFailed} formError={errors.form}>
          <LocationFields values={editFailed ? valuesFor(result) : location} errors={editFailed ? errors : {}} />
        </EditSection>
      ) : null}

      {d.can.delete ? (
        <DeleteSection title="Delete location" name={location.name} className="card max-w-2xl space-y-3 border-red-200">
          {errors.delete ? <FormMessage error={errors.delete} /> : null}
          {d.machines && d.machines.total > 0 && !d.q ? (
            <p className="text-sm text-slate-700">A location can only be deleted when no machines are there.</p>
          ) : null}
        </DeleteSection>
      ) : null}
    </div>
  );
}
