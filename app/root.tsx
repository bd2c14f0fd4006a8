import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/lib/nonce";
import { getAccess } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { loadShell } from "~/use-cases/shell.server";
import styles from "./tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "PinPoint" },
  { name: "description", content: "Report and fix problems with pinball and arcade machines." },
];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  return runLoader(() => loadShell(actor));
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function NavItem({ to, children }: { to: string; children: ReactNode }) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        `rounded px-2 py-1 text-sm font-medium no-underline hover:bg-indigo-50 ${isActive ? "bg-indigo-100 text-indigo-900" : "text-slate-700"}`
      }
    >
      {children}
    </NavLink>
  );
}

function Header() {
  const data = useRootData();
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="text-lg font-bold text-slate-900 no-underline">
          <span aria-hidden="true">📍</span> {data?.organization.name ?? "PinPoint"}
        </Link>
        {data ? (
          <nav aria-label="Main" className="flex flex-1 flex-wrap items-center gap-1">
            {data.nav.issues ? <NavItem to="/issues">Issues</NavItem> : null}
            {data.nav.machines ? <NavItem to="/machines">Machines</NavItem> : null}
            {data.nav.machines ? <NavItem to="/collections">Collections</NavItem> : null}
            {data.nav.locations ? <NavItem to="/locations">Locations</NavItem> : null}
            {data.nav.admin ? <NavItem to="/admin">Admin</NavItem> : null}
          </nav>
        ) : (
          <div className="flex-1" />
        )}
        <div className="flex items-center gap-2">
          <Link to="/report" className="btn-primary">
            Report a problem
          </Link>
          {data?.user ? (
            <>
              <Link to="/notifications" className="btn-secondary" aria-label={`Notifications, ${data.unread} unread`}>
                🔔{data.unread > 0 ? <span className="badge bg-red-600 text-white">{data.unread}</span> : null}
              </Link>
              <Link to="/account" className="text-sm">
                {data.user.name ?? data.user.email}
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="btn-secondary">
                  Sign out
                </button>
              </Form>
            </>
          ) : (
            <Link to="/login" className="btn-secondary">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col">
        <a href="#main" className="sr-only-focusable">
          Skip to content
        </a>
        <Header />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
          {children}
        </main>
        <footer className="no-print border-t border-slate-200 py-4 text-center text-xs text-slate-500">
          PinPoint · machine data from <a href="https://pinballmap.com">Pinball Map</a> (CC BY-SA 4.0)
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

/** A friendly page per status; never a stack trace (production strips them; we never render `error.stack`). */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let message = "Something went wrong on our side. Please try again in a moment.";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const body = error.data as { message?: string } | string | null;
    const given = typeof body === "string" ? body : body?.message;
    if (status === 404) message = given ?? "We could not find that page.";
    else if (status === 403) message = given ?? "You do not have permission to see this page.";
    else if (status === 503) message = given ?? "The service is temporarily unavailable. Please try again shortly.";
    else if (status < 500 && given) message = given;
  }
  const titles: Record<number, string> = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    410: "Link no longer valid",
    503: "Temporarily unavailable",
  };
  return (
    <div className="mx-auto max-w-lg py-12 text-center" role="alert">
      <p className="text-5xl font-bold text-slate-300">{status}</p>
      <h1 className="mt-2 text-2xl font-semibold">{titles[status] ?? (status >= 500 ? "Server error" : "Error")}</h1>
      <p className="mt-3 text-slate-700">{message}</p>
      <p className="mt-6">
        <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}
