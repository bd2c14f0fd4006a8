/**
 * Precompressed client assets (docs/decisions/030-compression.md). `npm run build` writes `<file>.br` (brotli, best
 * quality) and `<file>.gz` (gzip -9) beside each text asset of public/build (scripts/precompress-assets.ts), once,
 * instead of compressing the same fingerprinted files again on every request. `precompressedAssets(dir)` serves the
 * variant the client accepts with Content-Encoding and `Vary: Accept-Encoding`; without a variant (a build made by
 * `remix build` alone, `npm run dev`) the request falls through to express.static and the compression middleware.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";

/** Asset types worth compressing (images and fonts of the build are compressed already). */
const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([".js", ".mjs", ".css", ".map", ".json", ".svg", ".txt", ".html"]);

/** Smaller files gain nothing measurable (one packet either way). */
const MIN_BYTES = 1024;

export type Encoding = "br" | "gzip";
const SUFFIX: Readonly<Record<Encoding, string>> = { br: ".br", gzip: ".gz" };

/** q-values of an Accept-Encoding header: `{ br: 1, gzip: 0.5, "*": 0 }`. */
function qualities(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!Number.isNaN(q)) out.set(name.trim().toLowerCase(), q);
  }
  return out;
}

/**
 * The encoding to send from those available: brotli before gzip when the client accepts both equally (browsers list
 * gzip first but brotli is smaller); null means identity. `*` covers codings the header does not name.
 */
export function pickEncoding(header: string | undefined, available: readonly Encoding[]): Encoding | null {
  if (!header) return null;
  const q = qualities(header);
  const star = q.get("*") ?? 0;
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const coding of ["br", "gzip"] as const) {
    if (!available.includes(coding)) continue;
    const value = q.get(coding) ?? (coding === "gzip" ? (q.get("x-gzip") ?? star) : star);
    if (value > bestQ) {
      best = coding;
      bestQ = value;
    }
  }
  return best;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves `<file>.br` / `<file>.gz` from `dir` for GET/HEAD requests that accept them; `staticOptions` as for
 * express.static (the caching headers of the plain file apply to its variants too).
 */
export function precompressedAssets(dir: string, staticOptions: Parameters<typeof express.static>[1]): RequestHandler {
  const root = path.resolve(dir);
  const serve = express.static(root, {
    ...staticOptions,
    fallthrough: true,
    setHeaders(res, file) {
      const encoding = (Object.keys(SUFFIX) as Encoding[]).find((e) => file.endsWith(SUFFIX[e]));
      if (!encoding) return;
      // The type of the file itself, exactly as express.static (send) names it for the plain file.
      const type = express.static.mime.lookup(file.slice(0, -SUFFIX[encoding].length));
      const charset = express.static.mime.charsets.lookup(type, "");
      res.setHeader("Content-Type", charset ? `${type}; charset=${charset}` : type);
      res.setHeader("Content-Encoding", encoding);
    },
  });
  return async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !TEXT_EXTENSIONS.has(path.extname(req.path))) return next();
    // Whatever the answer, it depends on Accept-Encoding (the plain file too, so caches keep them apart).
    res.vary("Accept-Encoding");
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep) || relative.includes("\0")) return next();
    const available: Encoding[] = [];
    for (const e of ["br", "gzip"] as const) if (await isFile(file + SUFFIX[e])) available.push(e);
    const encoding = pickEncoding(req.get("accept-encoding"), available);
    if (!encoding) return next();
    const originalUrl = req.url;
    const query = originalUrl.indexOf("?");
    req.url = query === -1 ? originalUrl + SUFFIX[encoding] : originalUrl.slice(0, query) + SUFFIX[encoding];
    serve(req, res, () => {
      // The variant vanished between the check and the read (a rebuild): serve the plain file instead.
      req.url = originalUrl;
      res.removeHeader("Content-Encoding");
      res.removeHeader("Content-Type");
      next();
    });
  };
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Writes the .br and .gz variants of every text asset under `dir` (recursively); returns how many files gained them. */
export async function precompressDirectory(
  dir: string,
): Promise<{ files: number; bytes: number; brotliBytes: number }> {
  let files = 0;
  let bytes = 0;
  let brotliBytes = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!TEXT_EXTENSIONS.has(path.extname(file))) continue;
    const data = await fs.readFile(file);
    if (data.byteLength < MIN_BYTES) continue;
    const variants: Array<[Encoding, Buffer]> = [
      [
        "br",
        await brotli(data, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
          },
        }),
      ],
      ["gzip", await gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION })],
    ];
    let wrote = false;
    for (const [encoding, body] of variants) {
      // A variant that is not smaller is worse than none: the plain file is served instead.
      if (body.byteLength >= data.byteLength) continue;
      await fs.writeFile(file + SUFFIX[encoding], body);
      if (encoding === "br") brotliBytes += body.byteLength;
      wrote = true;
    }
    if (wrote) {
      files++;
      bytes += data.byteLength;
    }
  }
  return { files, bytes, brotliBytes };
}
