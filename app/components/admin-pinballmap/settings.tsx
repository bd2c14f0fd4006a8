/** The settings half of /admin/pinballmap: the integration switches, and each location's Pinball Map id. */
import { Field } from "~/components/form";
import type { FieldErrors } from "~/lib/action-result";

/** Pinball Map's data licence, shown wherever its data is. */
export function Credit() {
  return (
    <p className="text-xs text-slate-500">
      Data from <a href="https://pinballmap.com">Pinball Map</a> (
      <a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>).
    </p>
  );
}

export function IntegrationSection({
  enabled,
  createMissingModels,
  busy,
}: {
  enabled: boolean;
  createMissingModels: boolean;
  busy: boolean;
}) {
  return (
    <section className="card space-y-3" aria-labelledby="integration-heading">
      <h2 id="integration-heading" className="text-lg font-semibold">
        Integration
      </h2>
      <p className="text-sm">
        Status:{" "}
        <span className={`badge ${enabled ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700"}`}>
          {enabled ? "Enabled" : "Disabled"}
        </span>
      </p>
      <form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="config" />
        <div className="flex items-center gap-2">
          <input id="apiEnabled" type="checkbox" name="apiEnabled" defaultChecked={enabled} className="h-4 w-4" />
          <label htmlFor="apiEnabled" className="text-sm">
            Enable Pinball Map sync for this organization
          </label>
        </div>
        <div className="flex items-center gap-2">
          <input
            id="createMissingModels"
            type="checkbox"
            name="createMissingModels"
            defaultChecked={createMissingModels}
            className="h-4 w-4"
          />
          <label htmlFor="createMissingModels" className="text-sm">
            Add titles we don’t know yet to the machine catalogue (otherwise they are skipped)
          </label>
        </div>
        <button type="submit" className="btn-primary" disabled={busy}>
          Save integration settings
        </button>
      </form>
    </section>
  );
}

export interface SyncLocation {
  id: string;
  name: string;
  pinballMapId: number | null;
  pinballMapUrl: string | null;
  machineCount: number;
  lastSyncAt: string | null;
}

export function LocationsSection({
  locations,
  enabled,
  busy,
  failed,
}: {
  locations: SyncLocation[];
  enabled: boolean;
  busy: boolean;
  /** The id form that failed: its location, field errors and the value typed. */
  failed: { errors: FieldErrors; values: Record<string, string> };
}) {
  return (
    <section className="space-y-3" aria-labelledby="locations-heading">
      <h2 id="locations-heading" className="text-lg font-semibold">
        Locations
      </h2>
      {locations.length === 0 ? <p className="card text-slate-600">This organization has no locations yet.</p> : null}
      <ul className="space-y-3">
        {locations.map((l) => {
          const mine = failed.values.locationId === l.id;
          return (
            <li key={l.id} className="card space-y-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-semibold">{l.name}</h3>
                <span className="text-sm text-slate-600">
                  {l.machineCount} {l.machineCount === 1 ? "machine" : "machines"} · last sync:{" "}
                  {l.lastSyncAt ?? "never"}
                </span>
              </div>
              <form method="post" className="flex flex-wrap items-end gap-2" noValidate>
                <input type="hidden" name="intent" value="set-location" />
                <input type="hidden" name="locationId" value={l.id} />
                <Field
                  label={`Pinball Map location id of ${l.name}`}
                  name="pinballMapId"
                  inputMode="numeric"
                  pattern="[0-9]*"
                  maxLength={12}
                  defaultValue={mine ? (failed.values.pinballMapId ?? "") : (l.pinballMapId ?? "")}
                  error={mine ? failed.errors.pinballMapId : undefined}
                  hint="The number in the location’s Pinball Map address. Leave empty to unlink."
                  id={`pbm-${l.id}`}
                  className="min-w-[14rem] flex-1"
                />
                <button type="submit" className="btn-secondary" disabled={busy || !enabled}>
                  Save id
                </button>
              </form>
              <div className="flex flex-wrap items-center gap-3 text-sm">
                {l.pinballMapId && enabled ? (
                  <form method="get">
                    <input type="hidden" name="preview" value={l.id} />
                    <button type="submit" className="btn-primary" disabled={busy}>
                      Preview sync of {l.name}
                    </button>
                  </form>
                ) : (
                  <span className="text-slate-600">
                    {enabled ? "Set the Pinball Map id to preview a sync." : "Enable the integration to sync."}
                  </span>
                )}
                {l.pinballMapUrl ? <a href={l.pinballMapUrl}>View on Pinball Map</a> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
