/** /machines/<id>/qr.png: the machine's QR code as a 400 px PNG (`?download=1` for a download). Members only. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadHeaders, loadMachineQr } from "~/lib/qr-download.server";
import { qrPng } from "~/lib/qr.server";

export async function loader(args: LoaderFunctionArgs) {
  const { url, slug, download } = await loadMachineQr(args);
  const png = await qrPng(url);
  return new Response(new Uint8Array(png), { headers: downloadHeaders("image/png", `${slug}-qr.png`, download) });
}
