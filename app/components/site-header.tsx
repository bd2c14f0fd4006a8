/**
 * The header of every page (app/root.tsx): the organization, the sections the person may open, reporting and their
 * account; on phones behind a Menu button.
 */
import { useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { loadShell } from "~/use-cases/shell.server";

/** The root loader's data (app/root.tsx); undefined on an error page rendered before it. */
type Shell = Awaited<ReturnType<typeof loadShell>>;

/** A section of the header, marked as the open one (`aria-current`) on its own pages and the pages inside it. */
function NavItem({ to, pathname, children }: { to: string; pathname: string; children: ReactNode }) {
  const isActive = pathname === to || pathname.startsWith(`${to}/`);
  return (
    <a
      href={to}
      className={`rounded px-2 py-2 text-sm font-medium no-underline hover:bg-indigo-50 sm:py-1 ${isActive ? "bg-indigo-100 text-indigo-900" : "text-slate-700"}`}
      aria-current={isActive ? "page" : undefined}
    >
      {children}
    </a>
  );
}

/** The header's sections, each shown when the root loader's `nav` says the person may open it. */
const SECTIONS: readonly { to: string; label: string; nav: keyof Shell["nav"] }[] = [
  { to: "/issues", label: "Issues", nav: "issues" },
  { to: "/machines", label: "Machines", nav: "machines" },
  { to: "/collections", label: "Collections", nav: "machines" },
  { to: "/locations", label: "Locations", nav: "locations" },
  { to: "/insights", label: "Reliability", nav: "insights" },
  { to: "/admin", label: "Admin", nav: "admin" },
];

/** The links of the header: the sections the person may open, then reporting and their account. */
function HeaderLinks({ data, className }: { data: Shell | undefined; className: string }) {
  const { pathname } = useLocation();
  return (
    <div className={className}>
      {data ? (
        <nav aria-label="Main" className="flex flex-col gap-1 sm:flex-1 sm:flex-row sm:flex-wrap sm:items-center">
          {SECTIONS.filter((section) => data.nav[section.nav]).map((section) => (
            <NavItem key={section.to} to={section.to} pathname={pathname}>
              {section.label}
            </NavItem>
          ))}
        </nav>
      ) : (
        <div className="hidden sm:block sm:flex-1" />
      )}
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <a href="/report" className="btn-primary">
          Report a problem
        </a>
        {data?.user ? (
          <>
            <a href="/notifications" className="btn-secondary" aria-label={`Notifications, ${data.unread} unread`}>
              🔔{data.unread > 0 ? <span className="badge bg-red-600 text-white">{data.unread}</span> : null}
            </a>
            <a href="/account" className="text-sm">
              {data.user.name ?? data.user.email}
            </a>
            <form method="post" action="/logout">
              <button type="submit" className="btn-secondary w-full sm:w-auto">
                Sign out
              </button>
            </form>
          </>
        ) : (
          <a href="/login" className="btn-secondary">
            Sign in
          </a>
        )}
      </div>
    </div>
  );
}

/**
 * One copy of the links in a `<details>`. Phones get its Menu button, which opens them without JavaScript (the summary
 * is announced as a button that says whether the menu is open). Wide screens hide the button and show the links in a
 * row, open or not (`.site-menu` in app/tailwind.css); a browser that cannot style a closed `<details>` keeps the
 * Menu button there too.
 */
export function SiteHeader({ shell: data }: { shell: Shell | undefined }) {
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-x-4 gap-y-2 px-4 py-3">
        {/* Its own block: the brand is not a link inside running text (the Menu button's label is next to it). */}
        <div className="min-w-0 truncate">
          <a href="/" className="text-lg font-bold text-slate-900 no-underline">
            <span aria-hidden="true">📍</span> {data?.organization.name ?? "PinPoint"}
          </a>
        </div>
        <details className="site-menu relative ml-auto sm:ml-0 sm:flex-1" id="site-menu">
          <summary className="btn-secondary min-h-11 cursor-pointer list-none [&::-webkit-details-marker]:hidden">
            <span aria-hidden="true">☰</span> Menu
          </summary>
          <HeaderLinks
            data={data}
            className="absolute right-0 top-full z-20 mt-2 flex w-64 max-w-[calc(100vw-2rem)] flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-lg sm:static sm:mt-0 sm:w-auto sm:max-w-none sm:flex-row sm:items-center sm:gap-x-4 sm:border-0 sm:p-0 sm:shadow-none"
          />
        </details>
      </div>
    </header>
  );
}
