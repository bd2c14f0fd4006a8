/** /machines/<id>/qr.svg: the machine's QR code as SVG (scales for any label size; `?download=1` to download). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadHeaders, loadMachineQr } from "~/lib/qr-download.server";
import { qrSvgDocument } from "~/lib/qr.server";

export async function loader(args: LoaderFunctionArgs) {
  const { url, slug, download } = await loadMachineQr(args);
  const svg = await qrSvgDocument(url);
  return new Response(svg, { headers: downloadHeaders("image/svg+xml; charset=utf-8", `${slug}-qr.svg`, download) });
}
