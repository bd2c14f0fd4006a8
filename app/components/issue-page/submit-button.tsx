import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/** A submit button that is disabled while any form of the page is being sent. */
export function SubmitButton({
  children,
  className = "btn-secondary",
  name,
  value,
}: {
  children: ReactNode;
  className?: string;
  name?: string;
  value?: string;
}) {
  const nav = useNavigation();
  return (
    <button type="submit" className={className} disabled={nav.state === "submitting"} name={name} value={value}>
      {children}
    </button>
  );
}
