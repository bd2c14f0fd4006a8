/**
 * /qr/<code>: what a machine's sticker encodes. A resource route, as it only ever redirects: the layout's data (who is
 * asking, the header) is not read for a scan. A known code leads to the machine's public page; an unknown, replaced
 * (regenerated) or another organization's code to the machine picker with a notice that names no machine.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { UNKNOWN_QR_PATH } from "~/lib/qr.server";
import { organizationAddress } from "~/lib/tenant.server";
import { resolveQrCode } from "~/use-cases/qr.server";

export async function loader(args: LoaderFunctionArgs) {
  const target = await resolveQrCode(organizationAddress(args), args.params.code ?? "");
  // no-store: a regenerated code must stop working at once, also for browsers that scanned it before.
  return redirect(target ? `/m/${encodeURIComponent(target.machineId)}` : UNKNOWN_QR_PATH, {
    status: 302,
    headers: { "Cache-Control": "no-store" },
  });
}
