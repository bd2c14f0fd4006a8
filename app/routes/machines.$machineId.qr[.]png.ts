/** /machines/<id>/qr.png: the machine's QR code as a 400 px PNG (`?download=1` for a download). Members only. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/access.server";
import { notFound, runLoader } from "~/lib/failure.server";
import { idParam } from "~/lib/ids";
import { downloadHeaders, wantsDownload } from "~/lib/qr-download.server";
import { qrPng, qrTargetUrl } from "~/lib/qr.server";
import { getMachineQr } from "~/use-cases/qr.server";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "machine:view");
  const machineId = idParam(args.params.machineId) ?? notFound("We could not find that machine.");
  const { qrCodeId, fileSlug } = await runLoader(() => getMachineQr(actor, machineId));
  const png = await qrPng(qrTargetUrl(args.request, qrCodeId));
  return new Response(new Uint8Array(png), {
    headers: downloadHeaders("image/png", `${fileSlug}-qr.png`, wantsDownload(args.request)),
  });
}
