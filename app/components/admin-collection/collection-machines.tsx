/**
 * The machines of one collection on /admin/collections/<id>: checkboxes for a manual collection the admin may edit
 * (every candidate machine, ticked when in it), a plain list otherwise.
 */
import type { MachineListing } from "../../../core/machines";

export interface CollectionMachineOption extends MachineListing {
  inCollection: boolean;
}

export function CollectionMachines({
  collection,
  machines,
  canEdit,
  busy,
}: {
  collection: { name: string; isManual: boolean; locationName: string | null };
  machines: CollectionMachineOption[];
  canEdit: boolean;
  busy: boolean;
}) {
  const checkedCount = machines.filter((m) => m.inCollection).length;
  if (machines.length === 0) {
    return (
      <p className="card text-slate-600">
        {collection.isManual
          ? collection.locationName
            ? `There are no machines at ${collection.locationName} yet.`
            : "This organization has no machines yet."
          : "No machine matches this collection right now."}
      </p>
    );
  }
  if (!canEdit) {
    return (
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {machines.map((m) => (
          <li key={m.id} className="px-4 py-2 text-sm">
            <a href={`/m/${m.id}`} className="font-medium">
              {m.name}
            </a>
            <span className="text-slate-600">
              {" "}
              · {[m.manufacturer, m.year, m.locationName].filter(Boolean).join(" · ")}
            </span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <form method="post" className="space-y-3">
      <input type="hidden" name="intent" value="machines" />
      <fieldset className="card">
        <legend className="px-1 text-sm font-medium">
          Tick the machines that belong in {collection.name} ({checkedCount} of {machines.length} now)
        </legend>
        <ul className="mt-2 grid gap-1 sm:grid-cols-2">
          {machines.map((m) => (
            <li key={m.id} className="flex items-start gap-2 py-1">
              <input type="hidden" name="shownIds" value={m.id} />
              <input
                id={`machine-${m.id}`}
                type="checkbox"
                name="machineIds"
                value={m.id}
                defaultChecked={m.inCollection}
                className="mt-1 h-4 w-4"
              />
              <label htmlFor={`machine-${m.id}`} className="text-sm">
                <span className="font-medium">{m.name}</span>
                {m.name !== m.modelName ? <span className="text-slate-600"> · {m.modelName}</span> : null}
                <span className="block text-xs text-slate-600">
                  {[m.manufacturer, m.year, collection.locationName ? null : m.locationName]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" className="btn-primary" disabled={busy}>
        Save machines
      </button>
    </form>
  );
}
