/** The member machine page's QR code: preview, PNG/SVG downloads, the label, and (machine:edit) a confirmed regenerate. */
import { FormMessage } from "~/components/form";
import { QrCodeSvg } from "~/components/qr-code";
import { ConfirmForm } from "~/components/record-sections";
import { TitledSection } from "~/components/titled-section";
import type { QrSvgData } from "~/lib/qr.server";

export function MachineQrSection({
  machine,
  qr,
  canRegenerate,
  error,
}: {
  machine: { id: string; name: string; qrGenerated: string | null };
  qr: { url: string; svg: QrSvgData };
  canRegenerate: boolean;
  error?: string;
}) {
  return (
    <TitledSection headingId="qr-heading" title="QR code" className="card space-y-4">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <QrCodeSvg
          qr={qr.svg}
          label={`QR code for ${machine.name}`}
          className="h-48 w-48 shrink-0 border border-slate-200"
        />
        <div className="min-w-0 space-y-3 text-sm">
          <p>
            Scanning opens the public page of this machine, where players see its status and report problems.
            {machine.qrGenerated ? ` Made ${machine.qrGenerated}.` : ""}
          </p>
          <p className="break-all">
            <span className="text-slate-600">Encoded address: </span>
            <code className="rounded bg-slate-100 px-1">{qr.url}</code>
          </p>
          <p className="flex flex-wrap gap-2">
            <a href={`/machines/${machine.id}/qr.png?download=1`} className="btn-secondary" download>
              Download PNG
            </a>
            <a href={`/machines/${machine.id}/qr.svg?download=1`} className="btn-secondary" download>
              Download SVG
            </a>
            <a href={`/print/labels?machine=${machine.id}`} className="btn-secondary">
              Print label
            </a>
          </p>
        </div>
      </div>
      {canRegenerate ? (
        <ConfirmForm
          intent="regenerate-qr"
          className="space-y-2 border-t border-slate-200 pt-4"
          confirmId="confirm-qr"
          confirm="Make a new code. The printed sticker stops working (use this when a sticker was copied or misused)."
          submit="Regenerate QR code"
          submitClassName="btn-secondary"
        >
          <FormMessage error={error} />
        </ConfirmForm>
      ) : null}
    </TitledSection>
  );
}
