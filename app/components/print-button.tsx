import { useEffect, useState } from "react";

/**
 * A button that opens the browser's print dialog. Printing needs JavaScript, so the button appears only once the
 * page's scripts run (React's click handler, which the CSP allows, unlike an inline `onclick`); without JavaScript
 * the page's text points at the browser's own Print command instead.
 */
export function PrintButton({ label }: { label: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="btn-primary min-h-11" onClick={() => window.print()}>
      <span aria-hidden="true">🖨</span> {label}
    </button>
  );
}
