/** /machines/<id>/qr.svg: the machine's QR code as SVG (scales for any label size; `?download=1` to download). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/access.server";
import { notFound, runLoader } from "~/lib/failure.server";
import { idParam } from "~/lib/ids";
import { downloadHeaders, wantsDownload } from "~/lib/qr-download.server";
import { qrSvgDocument, qrTargetUrl } from "~/lib/qr.server";
import { getMachineQr } from "~/use-cases/qr.server";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "machine:view");
  const machineId = idParam(args.params.machineId) ?? notFound("We could not find that machine.");
  const { qrCodeId, fileSlug } = await runLoader(() => getMachineQr(actor, machineId));
  const svg = await qrSvgDocument(qrTargetUrl(args.request, qrCodeId));
  return new Response(svg, {
    headers: downloadHeaders("image/svg+xml; charset=utf-8", `${fileSlug}-qr.svg`, wantsDownload(args.request)),
  });
}
