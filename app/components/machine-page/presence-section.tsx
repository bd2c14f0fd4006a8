/**
 * Where the machine is (on the floor, off the floor, on loan, pending arrival, removed) and the latest changes. Members
 * with machine:edit change it with a plain POST form; everyone on the page sees the value and the history.
 */
import { FormMessage } from "~/components/form";
import { TitledSection } from "~/components/titled-section";
import { MACHINE_PRESENCES, PRESENCE_LABEL } from "../../../core/machine-presence";

export interface PresenceView {
  value: string;
  label: string;
  onFloor: boolean;
  history: { id: string; from: string; to: string; who: string; when: string; at: string }[];
}

export function PresenceSection({
  presence,
  canChange,
  error,
}: {
  presence: PresenceView;
  canChange: boolean;
  error?: string;
}) {
  return (
    <TitledSection headingId="presence-heading" title="Where it is" className="card max-w-2xl space-y-3">
      <p>
        <strong>{presence.label}</strong>
        {presence.onFloor ? null : (
          <span className="block text-sm text-slate-700">
            Not on the floor: its public page takes no reports and it is left off the status board.
          </span>
        )}
      </p>
      {canChange ? (
        <form method="post" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="presence" />
          <div>
            <label htmlFor="presence" className="label">
              Change to
            </label>
            <select
              id="presence"
              name="presence"
              className="input"
              defaultValue={presence.value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "presence-error" : undefined}
            >
              {MACHINE_PRESENCES.map((p) => (
                <option key={p} value={p}>
                  {PRESENCE_LABEL[p]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn-secondary">
            Save where it is
          </button>
        </form>
      ) : null}
      {error ? (
        <div id="presence-error">
          <FormMessage error={error} />
        </div>
      ) : null}
      {presence.history.length ? (
        <>
          <h3 className="pt-1 text-sm font-semibold">Changes</h3>
          <ul className="space-y-1 text-sm text-slate-700">
            {presence.history.map((h) => (
              <li key={h.id}>
                {h.from} → {h.to} · {h.who} ·{" "}
                <time dateTime={h.at} title={h.at}>
                  {h.when}
                </time>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </TitledSection>
  );
}
