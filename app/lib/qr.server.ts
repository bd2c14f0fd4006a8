/**
 * QR images for machine stickers, made with the `qrcode` package. A code encodes the absolute `/qr/<qrCodeId>` URL
 * on the organization's host; scanning it redirects to the machine's public page (app/routes/qr.$code.ts).
 */
import QRCode from "qrcode";
import { absoluteUrl } from "./tenant.server";

/** Quiet zone in modules, as in the original (400 px PNG, margin 2). */
const MARGIN = 2;

/** Where a sticker this organization does not know leads: the machine picker, with a notice (app/routes/report.tsx). */
export const UNKNOWN_QR_PATH = "/report?qr=unknown";

export function isUnknownQrNotice(searchParams: URLSearchParams): boolean {
  return searchParams.get("qr") === "unknown";
}

export function qrTargetPath(qrCodeId: string): string {
  return `/qr/${encodeURIComponent(qrCodeId)}`;
}

/** The URL a machine's sticker encodes. */
export function qrTargetUrl(request: Request, qrCodeId: string): string {
  return absoluteUrl(request, qrTargetPath(qrCodeId));
}

/** A 400 px PNG, black on white. */
export function qrPng(text: string, width = 400): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: "png",
    width,
    margin: MARGIN,
    errorCorrectionLevel: "M",
    color: { dark: "#000000ff", light: "#ffffffff" },
  });
}

/**
 * A standalone SVG document (for download). It says its size (width and height, the PNG's 400 px): without them
 * programs that place the file (label and office software, some browsers) pick an arbitrary size or none; the
 * viewBox still lets it scale to any label.
 */
export function qrSvgDocument(text: string, width = 400): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    width,
    margin: MARGIN,
    errorCorrectionLevel: "M",
    color: { dark: "#000000ff", light: "#ffffffff" },
  });
}

export interface QrSvgData {
  /** Side length in modules, quiet zone included (the SVG viewBox). */
  size: number;
  /** Path data of the dark modules (horizontal runs merged). */
  path: string;
}

/**
 * The code as path data for rendering inline with React (<QrCodeSvg/>): no innerHTML and no style attributes, so it
 * fits the page's Content-Security-Policy and prints sharply at any size.
 */
export function qrSvgData(text: string): QrSvgData {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const data = qr.modules.data;
  let path = "";
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!data[y * n + x]) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < n && data[y * n + x + run]) run++;
      path += `M${x + MARGIN} ${y + MARGIN}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return { size: n + 2 * MARGIN, path };
}
