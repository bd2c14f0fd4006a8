/**
 * GET /attachments/<id> — the stored photo of an issue attachment, for visitors holding attachment:view in the
 * request's organization (the Unauthenticated role may hold it). The attachment must belong to that organization and
 * its storage key must live under the organization's folder; otherwise 404 (indistinguishable from missing).
 * The type is detected from the bytes again (only JPEG/PNG/WebP are ever served inline), with inline disposition and
 * a private cache. `X-Content-Type-Options: nosniff` and the strict CSP come from the server's security headers
 * (server/security.ts, on every response); repeating them here would make Express send each header twice.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getAccess } from "~/lib/access.server";
import { isPlausibleId } from "~/lib/ids";
import { ownValue } from "~/lib/own";
import { IMAGE_TYPES, readStoredUpload, uploadBelongsTo } from "~/lib/uploads.server";
import { findAttachmentFile } from "../../db/queries/attachments.server";

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Plain-text refusals: a resource route answers with a Response (an image tag cannot show an error page anyway). */
function refuse(status: 403 | 404, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId, user, can } = await getAccess(args);
  if (!can("attachment:view")) {
    if (!user) {
      const url = new URL(args.request.url);
      return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
    }
    return refuse(403, "You do not have permission to see this file.");
  }
  const id = args.params.attachmentId ?? "";
  if (!isPlausibleId(id)) return refuse(404, "We could not find that file.");
  const attachment = await findAttachmentFile(db, organizationId, id);
  if (!attachment || !uploadBelongsTo(attachment.url, organizationId)) return refuse(404, "We could not find that file.");
  const stored = await readStoredUpload(attachment.url);
  if (!stored) return refuse(404, "The file is no longer available.");
  const image = ownValue(IMAGE_TYPES, stored.fileType) !== undefined;
  return new Response(new Uint8Array(stored.data), {
    status: 200,
    headers: {
      "Content-Type": image ? stored.fileType : "application/octet-stream",
      "Content-Length": String(stored.size),
      "Content-Disposition": image ? contentDisposition(attachment.fileName) : contentDisposition(attachment.fileName).replace(/^inline/, "attachment"),
      "Cache-Control": "private, max-age=3600",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
