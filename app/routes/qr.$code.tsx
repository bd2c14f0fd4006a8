/**
 * /qr/<code>: what a machine's sticker encodes. Redirects (302) to the machine's public page in the request's
 * organization. An unknown code, a replaced (regenerated) one or another organization's code gets a friendly 404
 * page that names no machine.
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { organizationAddress } from "~/lib/tenant.server";
import { resolveQrCode } from "~/use-cases/qr.server";
import type { PageHandle } from "~/lib/page-handle";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction = () => [{ title: "QR code · PinPoint" }, { name: "robots", content: "noindex" }];

/** The 404 page of a stale code must not be cached either (the code may be valid again after a restore). */
export const headers: HeadersFunction = ({ errorHeaders }) => ({
  "Cache-Control": errorHeaders?.get("Cache-Control") ?? "no-store",
});

export async function loader(args: LoaderFunctionArgs) {
  const target = await resolveQrCode(organizationAddress(args), args.params.code ?? "");
  if (!target) {
    throw data(
      { message: "This QR code is not valid (anymore)." },
      { status: 404, headers: { "Cache-Control": "no-store" } },
    );
  }
  // no-store: a regenerated code must stop working at once, also for browsers that scanned it before.
  throw redirect(`/m/${encodeURIComponent(target.machineId)}`, {
    status: 302,
    headers: { "Cache-Control": "no-store" },
  });
}

export default function QrRedirect() {
  return null;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="mx-auto max-w-md space-y-4 py-10 text-center" role="alert">
      <p className="text-5xl" aria-hidden="true">
        🔍
      </p>
      <h1 className="text-2xl font-bold">{notFound ? "We don’t recognise this QR code" : "Something went wrong"}</h1>
      <p className="text-slate-700">
        {notFound
          ? "The sticker may be old or from another venue. You can still report a problem: pick the machine from the list."
          : "Please try again in a moment."}
      </p>
      <p className="flex flex-col gap-3 sm:flex-row sm:justify-center">
        <a href="/report" className="btn-primary min-h-11">
          Pick a machine
        </a>
        <a href="/" className="btn-secondary min-h-11">
          Start page
        </a>
      </p>
    </div>
  );
}
