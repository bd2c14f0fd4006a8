import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteHeader } from "~/components/site-header";
import { useDelegatedNavigation } from "~/lib/delegated-navigation";
import { useNonce } from "~/lib/nonce";
import { REQUEST_ID_ATTRIBUTE, useRequestReference } from "~/lib/request-id";
import { getAccess } from "~/lib/access.server";
import { sendsScripts } from "~/lib/page-handle";
import { loadShell } from "~/use-cases/shell.server";
import styles from "./tailwind.css";
import { pageData, readPageData } from "~/lib/page-data";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  // Staff can add PinPoint to a phone's home screen (public/manifest.webmanifest).
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/icon-192.png" },
];

export const meta: MetaFunction = () => [
  { title: "PinPoint" },
  { name: "description", content: "Report and fix problems with pinball and arcade machines." },
];

export async function loader(args: LoaderFunctionArgs) {
  return pageData(loadShell(await getAccess(args)));
}

export function useRootData() {
  const data = useRouteLoaderData<typeof loader>("root");
  return data && readPageData(data);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // In the browser React only runs on a page that sent its scripts: a client-side move into a `scripts: false` page
  // keeps them (removing them would stop scroll restoration of the running app).
  const scripts = sendsScripts(useMatches()) || typeof document !== "undefined";
  const shell = useRootData();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Here, not in `meta`: a route's own meta replaces the root's. Same as the manifest's theme_color. */}
        <meta name="theme-color" content="#4f46e5" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col">
        <a href="#main" className="sr-only-focusable">
          Skip to content
        </a>
        <SiteHeader shell={shell} />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
          {children}
        </main>
        <footer className="no-print border-t border-slate-200 py-4 text-center text-xs text-slate-500">
          PinPoint · machine data from <a href="https://pinballmap.com">Pinball Map</a> (CC BY-SA 4.0)
        </footer>
        {/* Pages that declare `handle = { scripts: false }` are plain HTML: no client JavaScript at all
            (docs/decisions/032-public-pages-without-client-js.md). */}
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
            <DelegatedNavigation />
          </>
        ) : null}
      </body>
    </html>
  );
}

/** Plain links and forms move through the router once the page runs (app/lib/delegated-navigation.ts). */
function DelegatedNavigation() {
  useDelegatedNavigation();
  return null;
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  // A new page, a new error: its reference is fixed when the page mounts (app/lib/request-id.tsx).
  return <GeneralErrorBoundary key={useLocation().key} />;
}

/** A friendly page per status; never a stack trace (production strips them; we never render `error.stack`). */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const reference = useRequestReference();
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
      {reference ? (
        <p className="mt-3 text-sm text-slate-600">
          Reference: <code {...{ [REQUEST_ID_ATTRIBUTE]: reference }}>{reference}</code>
          {status >= 500 ? " (please quote it if you tell us about this problem)" : null}
        </p>
      ) : null}
      <p className="mt-6">
        <a href="/">Go to the start page</a>
      </p>
    </div>
  );
}
