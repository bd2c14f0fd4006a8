/** Building blocks of list pages (machines, locations, issues, notifications): the title bar and the data table. */
import type { ReactNode } from "react";

/** The page title with the page's actions (add, filters) on the right, wrapping on a phone. */
export function TitleBar({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold">{title}</h1>
      {children}
    </div>
  );
}

export interface TableColumn {
  label: string;
  /** Right-aligned (counts). */
  numeric?: boolean;
}

/**
 * A table that scrolls sideways on small screens, with a caption for screen readers and column headers. Columns
 * given as `null` or `false` are left out (e.g. owners, shown to members only); `children` are the body rows.
 */
export function DataTable({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: (TableColumn | null | false)[];
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left">
          <tr>
            {columns.map((c) =>
              c ? (
                <th
                  key={c.label}
                  scope="col"
                  className={c.numeric ? "px-4 py-2 text-right font-semibold" : "px-4 py-2 font-semibold"}
                >
                  {c.label}
                </th>
              ) : null,
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
