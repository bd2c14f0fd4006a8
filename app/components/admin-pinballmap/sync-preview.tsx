/**
 * The preview of a location sync on /admin/pinballmap: counts, the three lists (only on Pinball Map — added; only
 * here — kept unless ticked; in sync), entries Pinball Map sent that could not be used, and the confirm form that
 * carries the preview's checksum. When the preview could not be made: why, and a link to try again.
 */
import type { ModelResolution, PbmMachine } from "../../../core/pinballmap-sync";
import { Credit } from "./settings";

export interface SyncPreviewView {
  location: { id: string; name: string; pinballMapId: number };
  pinballMapUrl: string;
  checksum: string;
  fetchedAt: string | null;
  counts: { inSync: number; onlyRemote: number; onlyLocal: number };
  inSync: { machineId: string; machineName: string; manufacturer: string | null; year: number | null }[];
  /** The Pinball Map machine as core/pinballmap-sync.ts reads it, and what its model will be. */
  onlyRemote: (Pick<PbmMachine, "pbmId" | "name" | "manufacturer" | "year" | "opdbId" | "ipdbId"> & {
    model: ModelResolution["kind"];
    note: string | null;
  })[];
  onlyLocal: {
    id: string;
    name: string;
    manufacturer: string | null;
    year: number | null;
    issueCount: number;
    removable: boolean;
  }[];
  ignored: { pbmId: number | null; name: string | null; reason: string }[];
}

const facts = (m: { manufacturer: string | null; year: number | null }) =>
  [m.manufacturer, m.year].filter(Boolean).join(" · ");

export function PreviewProblem({ message, locationId }: { message: string; locationId: string }) {
  return (
    <section className="space-y-4" aria-labelledby="preview-heading">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Preview
      </h2>
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800">
        <p className="font-medium">The preview could not be made.</p>
        <p>{message}</p>
        <p className="mt-2">
          <a href={`?preview=${encodeURIComponent(locationId)}`}>Try again</a>
        </p>
      </div>
    </section>
  );
}

export function SyncPreview({
  preview,
  busy,
  applying,
}: {
  preview: SyncPreviewView;
  busy: boolean;
  applying: boolean;
}) {
  const removable = preview.onlyLocal.filter((l) => l.removable);
  const adding = preview.counts.onlyRemote;
  return (
    <section className="space-y-4" aria-labelledby="preview-heading">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Preview: {preview.location.name}
      </h2>
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

      <form method="post" className="space-y-4">
        <input type="hidden" name="intent" value="apply" />
        <input type="hidden" name="locationId" value={preview.location.id} />
        <input type="hidden" name="checksum" value={preview.checksum} />

        <details open={preview.onlyRemote.length > 0} className="card">
          <summary className="cursor-pointer font-semibold">
            Only on Pinball Map ({preview.onlyRemote.length}) — will be added
          </summary>
          {preview.onlyRemote.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Nothing to add.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm">
              {preview.onlyRemote.map((r) => (
                <li key={`${r.pbmId}-${r.opdbId ?? r.ipdbId}`} className="py-1">
                  <span className="font-medium">{r.name}</span>
                  <span className="text-slate-600"> · {facts(r)}</span>{" "}
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
          <summary className="cursor-pointer font-semibold">
            Only here ({preview.onlyLocal.length}) — kept unless you tick them
          </summary>
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
                      <input
                        id={`remove-${l.id}`}
                        type="checkbox"
                        name="remove"
                        value={l.id}
                        className="mt-1 h-4 w-4"
                      />
                    ) : (
                      <span className="mt-1 inline-block h-4 w-4" aria-hidden="true" />
                    )}
                    <label htmlFor={l.removable ? `remove-${l.id}` : undefined}>
                      <span className="font-medium">{l.name}</span>
                      <span className="text-slate-600"> · {facts(l)}</span>
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
                  <a href={`/m/${p.machineId}`}>{p.machineName}</a>
                  <span className="text-slate-600"> · {facts(p)}</span>
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
              : adding > 0
                ? `Confirm: add ${adding} ${adding === 1 ? "machine" : "machines"}`
                : "Confirm sync"}
          </button>
          <span className="text-sm text-slate-600">
            {removable.length > 0 ? "Ticked machines are removed too. " : ""}If Pinball Map changes before you confirm,
            you will be asked to review again.
          </span>
        </div>
      </form>
      <Credit />
    </section>
  );
}
