/**
 * The error page of a route reached through an e-mailed link (/reset-password/<token>, /verify-email/<token>):
 * unknown (404), used or expired (410) links say so with the route's reason, then the ways forward the route gives.
 */
import type { ReactNode } from "react";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

export function LinkErrorPage({ children }: { children: ReactNode }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const given = isRouteErrorResponse(error) ? (error.data as { message?: string } | null)?.message : undefined;
  return (
    <div className="mx-auto max-w-lg py-12 text-center" role="alert">
      <p className="text-5xl font-bold text-slate-300">{status}</p>
      <h1 className="mt-2 text-2xl font-semibold">
        {status === 410 ? "Link no longer valid" : status === 404 ? "Link not found" : "Something went wrong"}
      </h1>
      <p className="mt-3 text-slate-700">
        {status < 500 && given ? given : "Something went wrong on our side. Please try again in a moment."}
      </p>
      <p className="mt-6">{children}</p>
    </div>
  );
}
