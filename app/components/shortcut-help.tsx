/**
 * "?" opens this list of the page's keyboard shortcuts: a modal <dialog> (focus moves into it and stays there,
 * Escape or "Close" shuts it and the focus returns where it was). Shown only once the page's JavaScript runs, since
 * the shortcuts need it; the button beside it opens it with the mouse or by tabbing.
 */
import { useCallback, useRef } from "react";
import { useHydrated } from "~/lib/use-hydrated";
import { useShortcuts, type Shortcut } from "~/lib/shortcuts";

export function ShortcutHelp({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const open = useCallback(() => {
    if (!dialog.current || dialog.current.open) return;
    opener.current = document.activeElement;
    dialog.current.showModal();
  }, []);
  const all: Shortcut[] = [...shortcuts, { key: "?", description: "Show this list", run: open }];
  useShortcuts(all);
  if (!hydrated) return null;
  return (
    <>
      <button type="button" className="text-sm text-indigo-700 underline" onClick={open}>
        Keyboard shortcuts <span aria-hidden="true">(?)</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="shortcuts-heading"
        className="w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
        onClose={() => {
          if (opener.current instanceof HTMLElement) opener.current.focus();
        }}
      >
        <div className="space-y-4 p-5">
          <h2 id="shortcuts-heading" className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <p className="text-sm text-slate-600">They do nothing while you type in a field.</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {all.map((s) => (
              <div key={s.key} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono">{s.key}</kbd>
                </dt>
                <dd>{s.description}</dd>
              </div>
            ))}
          </dl>
          <form method="dialog">
            <button type="submit" className="btn-secondary">
              Close
            </button>
          </form>
        </div>
      </dialog>
    </>
  );
}
