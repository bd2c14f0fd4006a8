/** A page section named by its heading (`aria-labelledby`), so screen readers list it under that title. */
import type { ReactNode } from "react";

export function TitledSection({
  headingId,
  title,
  className,
  children,
}: {
  /** The heading's id; also a link target (`#qr-heading`). */
  headingId: string;
  title: ReactNode;
  className: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={headingId} className={className}>
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
