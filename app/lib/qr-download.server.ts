/** Shared by the machine QR download routes (PNG and SVG): how the file is served. */

/** `?download=1` asks for an attachment instead of showing the image. */
export function wantsDownload(request: Request): boolean {
  return new URL(request.url).searchParams.get("download") === "1";
}

export function downloadHeaders(contentType: string, fileName: string, download: boolean): HeadersInit {
  return {
    "Content-Type": contentType,
    "Content-Disposition": `${download ? "attachment" : "inline"}; filename="${fileName}"`,
    // A regenerated code must not be served from a cache.
    "Cache-Control": "private, no-store",
  };
}
