import type { QrSvgData } from "~/lib/qr.server";

/** A server-made QR code drawn inline (black on white, crisp edges); `label` is read by screen readers. */
export function QrCodeSvg({ qr, label, className }: { qr: QrSvgData; label: string; className?: string }) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${qr.size} ${qr.size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      className={className}
    >
      <rect width={qr.size} height={qr.size} fill="#ffffff" />
      <path d={qr.path} fill="#000000" />
    </svg>
  );
}
