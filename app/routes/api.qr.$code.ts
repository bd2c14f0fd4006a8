/**
 * GET /api/qr/<code>: the machine's public page by 302 (same target as /qr/<code>); HEAD: 200 without a body, a
 * health check for printed stickers. Unknown, replaced (regenerated) or other-organization codes: 404 JSON
 * {error:"Invalid QR code"}; a malformed code: 400. Never reveals which machine or organization a foreign code has.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { organizationAddress } from "~/lib/tenant.server";
import { isPlausibleId } from "~/lib/ids";
import { resolveQrCode } from "~/use-cases/qr.server";

const NO_STORE = { "Cache-Control": "no-store" };

function invalid(status: 400 | 404) {
  return Response.json({ error: "Invalid QR code" }, { status, headers: NO_STORE });
}

export async function loader(args: LoaderFunctionArgs) {
  const code = args.params.code;
  // Codes have the shape of our ids (letters, digits, - and _).
  if (!isPlausibleId(code)) return invalid(400);
  const target = await resolveQrCode(organizationAddress(args), code);
  if (!target) return invalid(404);
  if (args.request.method === "HEAD") return new Response(null, { status: 200, headers: NO_STORE });
  return redirect(`/m/${encodeURIComponent(target.machineId)}`, { status: 302, headers: NO_STORE });
}
