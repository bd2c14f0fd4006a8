/**
 * Single-key shortcuts (issue page and issue list). Browser-safe. A key never fires while the person types in a
 * field (input, textarea, select, editable text), with Ctrl / Alt / Meta held, or while a modal dialog is open (the
 * dialog keeps its own keys: Escape closes it).
 */
import { useEffect, useRef } from "react";

export interface Shortcut {
  /** `KeyboardEvent.key`: "s", "j", "?", "/". */
  key: string;
  /** What it does, in the help dialog's words. */
  description: string;
  /** Absent for keys listed only to be known (Enter on a focused link is the browser's own). */
  run?: () => void;
}

/** Whether a key pressed on this element is typing rather than a command. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** Listens for the shortcuts while the component is mounted (the latest `run` functions are used). */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      if (isTypingTarget(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const run = latest.current.find((s) => s.key === e.key)?.run;
      if (!run) return;
      e.preventDefault();
      run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/** Focuses the element with this id (and scrolls it into view); false when the page has none. */
export function focusById(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  el.focus();
  el.scrollIntoView({ block: "nearest" });
  return true;
}

/** Moves the focus to the next (+1) or previous (-1) element matching `selector`, starting at the first. */
export function moveFocus(selector: string, step: 1 | -1): void {
  const all = [...document.querySelectorAll<HTMLElement>(selector)];
  if (all.length === 0) return;
  const at = all.findIndex((el) => el === document.activeElement || el.contains(document.activeElement));
  const next = at === -1 ? (step === 1 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  all[next].focus();
  all[next].scrollIntoView({ block: "nearest" });
}
