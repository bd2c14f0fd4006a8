/**
 * GET /api/qr/<code>: the machine's public page by 302 (same target as /qr/<code>); HEAD: 200 without a body, a
 * health check for printed stickers. Unknown, replaced (regenerated) or other-organization codes: 404 JSON
 * {error:"Invalid QR code"}; a malformed code: 400. Never reveals which machine or organization a foreign code has.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getAccess } from "~/lib/access.server";
import { isPlausibleId } from "~/lib/ids";
import { resolveQrCode } from "~/use-cases/qr.server";

const NO_STORE = { "Cache-Control": "no-store" };

function invalid(status: 400 | 404) {
  return Response.json({ error: "Invalid QR code" }, { status, headers: NO_STORE });
}

function isNotFoundResponse(error: unknown): boolean {
  const e = error as { type?: string; init?: { status?: number } | null; status?: number };
  return (
    (e?.type === "DataWithResponseInit" && e.init?.status === 404) ||
    (error instanceof Response && error.status === 404)
  );
}

export async function loader(args: LoaderFunctionArgs) {
  const code = args.params.code;
  // Codes have the shape of our ids (letters, digits, - and _).
  if (!isPlausibleId(code)) return invalid(400);
  let access;
  try {
    access = await getAccess(args);
  } catch (error) {
    // No organization at this address: the code cannot be valid here.
    if (isNotFoundResponse(error)) return invalid(404);
    throw error;
  }
  const target = await resolveQrCode(access, code);
  if (!target) return invalid(404);
  if (args.request.method === "HEAD") return new Response(null, { status: 200, headers: NO_STORE });
  return redirect(`/m/${encodeURIComponent(target.machineId)}`, { status: 302, headers: NO_STORE });
}
