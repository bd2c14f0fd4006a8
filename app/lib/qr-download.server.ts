/** Shared by the machine QR download routes (PNG and SVG): access check, lookup in the organization, file name. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "./access.server";
import { notFound } from "./errors.server";
import { qrTargetUrl } from "./qr.server";
import { getMachineQr } from "../../db/queries/qr.server";

export async function loadMachineQr(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requireMember(args, "machine:view");
  const machine = (await getMachineQr(db, organizationId, args.params.machineId ?? "")) ?? notFound("We could not find that machine.");
  const slug =
    machine.name
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .replace(/[\s_]+/g, "-")
      .toLowerCase()
      .slice(0, 60) || "machine";
  const download = new URL(args.request.url).searchParams.get("download") === "1";
  return { machine, url: qrTargetUrl(args.request, machine.qrCodeId), slug, download };
}

export function downloadHeaders(contentType: string, fileName: string, download: boolean): HeadersInit {
  return {
    "Content-Type": contentType,
    "Content-Disposition": `${download ? "attachment" : "inline"}; filename="${fileName}"`,
    // A regenerated code must not be served from a cache.
    "Cache-Control": "private, no-store",
  };
}
