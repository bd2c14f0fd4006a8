import type { ReactNode } from "react";

/** The top of an admin page: the way back to /admin, the page's heading, then what the page is for (children). */
export function AdminPageHeader({ crumb, title, children }: { crumb: string; title: string; children: ReactNode }) {
  return (
    <div>
      <p className="text-sm">
        <a href="/admin">Admin</a> <span aria-hidden="true">›</span> {crumb}
      </p>
      <h1 className="text-2xl font-bold">{title}</h1>
      {children}
    </div>
  );
}
