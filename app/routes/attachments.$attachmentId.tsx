/**
 * GET /attachments/<id> — the stored photo of an issue attachment (`?size=thumbnail`: its small square preview, for
 * lists), for visitors holding attachment:view in the request's organization (the Unauthenticated role may hold it). The attachment must belong to that organization and
 * its storage key must live under the organization's folder; otherwise 404 (indistinguishable from missing).
 * The type is detected from the bytes again (only JPEG/PNG/WebP are ever served inline), with inline disposition and
 * a private cache. `X-Content-Type-Options: nosniff` and the strict CSP come from the server's security headers
 * (server/security.ts, on every response); repeating them here would make Express send each header twice.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getAccess } from "~/lib/access.server";
import { failureStatus } from "~/lib/failure.server";
import { openAttachment } from "~/use-cases/attachments.server";
import { isFailure } from "../../core/failure";

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Plain-text refusals: a resource route answers with a Response (an image tag cannot show an error page anyway). */
function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  const url = new URL(args.request.url);
  if (!actor.can("attachment:view") && !actor.user) {
    return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  const size = url.searchParams.get("size") === "thumbnail" ? "thumbnail" : "full";
  let file;
  try {
    file = await openAttachment(actor, args.params.attachmentId ?? "", size);
  } catch (error) {
    if (isFailure(error)) return refuse(failureStatus(error.code), error.message);
    throw error;
  }
  return new Response(file.stream, {
    status: 200,
    headers: {
      "Content-Type": file.image ? file.fileType : "application/octet-stream",
      "Content-Length": String(file.size),
      "Content-Disposition": file.image
        ? contentDisposition(file.fileName)
        : contentDisposition(file.fileName).replace(/^inline/, "attachment"),
      "Cache-Control": "private, max-age=3600",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
