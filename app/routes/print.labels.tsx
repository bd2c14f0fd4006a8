/**
 * Printable QR label sheet (machine:edit): `?location=<id>` (every machine there), `?collection=<id>` (the machines
 * of a collection) or `?machine=<id>` (one label). Six labels per A4/Letter page, each with the QR drawn as inline
 * SVG (server-made, no scripts, no style attributes), machine name, model, location and organization. The site
 * header and footer are hidden in print by the layout's `no-print` rule; the controls here use `print:hidden`.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PrintButton } from "~/components/print-button";
import { QrCodeSvg } from "~/components/qr-code";
import { requirePermission } from "~/lib/access.server";
import { badRequest, notFound, runLoader } from "~/lib/failure.server";
import { isPlausibleId } from "~/lib/ids";
import { qrSvgData, qrTargetUrl } from "~/lib/qr.server";
import { loadLabelSheet, type LabelSheetChoice } from "~/use-cases/qr.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [{ title: d ? `QR labels · ${d.title}` : "QR labels · PinPoint" }];
};

/** An id from the address: none, too long (400), or one that cannot exist (404 like any unknown id). */
function idFrom(url: URL, key: "location" | "collection" | "machine"): string | null {
  const v = url.searchParams.get(key)?.trim();
  if (!v) return null;
  if (v.length > 64) badRequest("That link is not valid.");
  if (!isPlausibleId(v)) notFound(`We could not find that ${key}.`);
  return v;
}

function sheetChoice(url: URL): LabelSheetChoice {
  const location = idFrom(url, "location");
  if (location) return { location };
  const collection = idFrom(url, "collection");
  if (collection) return { collection };
  const machine = idFrom(url, "machine");
  if (machine) return { machine };
  badRequest("Choose a location, collection or machine to print labels for.");
}

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:edit");
  const url = new URL(args.request.url);
  const choice = sheetChoice(url);
  const { title, machines } = await runLoader(() => loadLabelSheet(actor, choice));
  return pageData({
    title,
    organizationName: actor.organization.name,
    labels: machines.map((m) => {
      const target = qrTargetUrl(args.request, m.qrCodeId);
      return {
        id: m.id,
        name: m.name,
        model: [m.modelName !== m.name ? m.modelName : null, m.manufacturer, m.year].filter(Boolean).join(" · "),
        locationName: m.locationName,
        shortUrl: target.replace(/^https?:\/\//, ""),
        qr: qrSvgData(target),
      };
    }),
  });
}

export default function PrintLabels() {
  const { title, organizationName, labels } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-4 print:space-y-0">
      <div className="space-y-2 print:hidden">
        <p className="text-sm">
          <a href="/admin/qr-codes">← QR codes</a>
        </p>
        <h1 className="text-2xl font-bold">QR labels: {title}</h1>
        <p className="text-slate-700">
          {labels.length} {labels.length === 1 ? "label" : "labels"}, six per page. Print with the button or your
          browser’s Print command (Ctrl+P or ⌘P); choose “Actual size” and no headers and footers. Cut along the dashed
          lines.
        </p>
        {labels.length > 0 ? <PrintButton label="Print labels" /> : null}
      </div>
      {labels.length === 0 ? (
        <p className="card text-slate-700 print:hidden">There are no machines to print labels for.</p>
      ) : (
        <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 print:grid-cols-2 print:gap-0" aria-label="Labels">
          {labels.map((l) => (
            <li
              key={l.id}
              className="flex break-inside-avoid items-center gap-4 rounded-lg border-2 border-dashed border-slate-300 bg-white p-4 print:h-[84mm] print:rounded-none print:border print:p-[6mm]"
            >
              <QrCodeSvg
                qr={l.qr}
                label={`QR code for ${l.name}`}
                className="h-36 w-36 shrink-0 print:h-[45mm] print:w-[45mm]"
              />
              <div className="min-w-0 space-y-1">
                <p className="text-xs font-semibold uppercase tracking-wide text-slate-700 print:text-black">
                  Problem with this machine?
                </p>
                <p className="text-sm text-slate-800 print:text-black">Scan to report it. No account needed.</p>
                <p className="break-words pt-2 text-lg font-bold leading-tight text-slate-900 print:text-black">
                  {l.name}
                </p>
                {l.model ? <p className="text-xs text-slate-700 print:text-black">{l.model}</p> : null}
                <p className="text-xs text-slate-700 print:text-black">
                  {l.locationName === organizationName ? organizationName : `${l.locationName} · ${organizationName}`}
                </p>
                <p className="break-all pt-1 font-mono text-[10px] text-slate-600 print:text-black">{l.shortUrl}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
