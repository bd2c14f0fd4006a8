/**
 * Bytes on the wire of the public pages, as a phone's first visit sees them: each page fetched with
 * `Accept-Encoding: br, gzip` (what browsers send), plus every stylesheet, script and modulepreload its HTML names,
 * counted as sent (still compressed). The same rule as tests/integration/public-pages-budget.test.ts, which holds each
 * page to 60 kB; here the figures go into docs/benchmarks.md next to the baseline's and the floor's machine page.
 */
import http from "node:http";
import type { GeneratedData } from "./generate";
import { machineId } from "./generate";
import { sendOnce } from "./load";

export interface TransferItem {
  url: string;
  encoding: string;
  bytes: number;
  /** Decoded size (what the browser parses). */
  decodedBytes: number;
}

export interface TransferPage {
  /** Which server answered: ours, the framework floor or the bare baseline. */
  who: "app" | "floor" | "baseline";
  title: string;
  path: string;
  status: number;
  /** HTML + CSS + JS as sent. */
  totalBytes: number;
  scripts: number;
  items: TransferItem[];
}

const ACCEPT = "br, gzip";

function wireGet(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: "127.0.0.1", port, path, headers: { host, "accept-encoding": ACCEPT, "user-agent": "pinpoint-bench" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              encoding: String(res.headers["content-encoding"] ?? "identity"),
              body: Buffer.concat(chunks),
            }),
          );
          res.on("error", reject);
        },
      )
      .on("error", reject);
  });
}

/** Every stylesheet, script and modulepreload an HTML page names (inline `import "/build/…"` included). */
export function assetsOf(page: string): string[] {
  const urls = new Set<string>();
  for (const tag of page.match(/<(?:link|script)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith("<script");
    const rel = /\brel="([^"]*)"/.exec(tag)?.[1] ?? "";
    const url = (isScript ? /\bsrc="([^"]*)"/ : /\bhref="([^"]*)"/).exec(tag)?.[1];
    if (url && (isScript || /\b(stylesheet|modulepreload)\b/.test(rel))) urls.add(url);
  }
  for (const m of page.matchAll(/import\s*(?:[^"']*from\s*)?["'](\/build\/[^"']+)["']/g)) urls.add(m[1]);
  return [...urls];
}

async function weigh(
  port: number,
  host: string,
  who: TransferPage["who"],
  title: string,
  path: string,
): Promise<TransferPage> {
  const doc = await wireGet(port, path, host);
  const html = (await sendOnce(port, { method: "GET", path, headers: { host } })).text;
  const items: TransferItem[] = [
    { url: path, encoding: doc.encoding, bytes: doc.body.byteLength, decodedBytes: Buffer.byteLength(html) },
  ];
  const assets = assetsOf(html);
  for (const url of assets) {
    const asset = await wireGet(port, url, host);
    // A missing asset would weigh as a small 404 page: fail loudly instead.
    if (asset.status !== 200) throw new Error(`${who} ${path}: ${url} answered ${asset.status}`);
    const plain = await sendOnce(port, { method: "GET", path: url, headers: { host } });
    items.push({
      url,
      encoding: asset.encoding,
      bytes: asset.body.byteLength,
      decodedBytes: Buffer.byteLength(plain.text),
    });
  }
  return {
    who,
    title,
    path,
    status: doc.status,
    totalBytes: items.reduce((a, i) => a + i.bytes, 0),
    scripts: (html.match(/<script\b/g) ?? []).length,
    items,
  };
}

/** Makes one anonymous report on ours (no JavaScript, as a phone without it) and returns the follow page's URL. */
async function followPage(port: number, host: string, machine: string): Promise<string | null> {
  const page = await sendOnce(port, { method: "GET", path: `/m/${machine}`, headers: { host } });
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const boundary = "----pinpointbenchtransfer";
  const fields = { intent: "report", idempotencyKey: key, title: "Bench: transfer size", website: "" };
  const body =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") + `--${boundary}--\r\n`;
  const res = await sendOnce(port, {
    method: "POST",
    path: `/m/${machine}`,
    headers: { host, origin: `http://${host}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const location = res.headers.location;
  return res.status === 302 && location ? location : null;
}

export async function measureTransfer(opts: {
  data: GeneratedData;
  app: number;
  floor: number;
  baseline: number;
}): Promise<TransferPage[]> {
  const machine = machineId(0, 1);
  const hostFor = (port: number) => `${opts.data.big.subdomain}.localhost:${port}`;
  const host = hostFor(opts.app);
  const follow = await followPage(opts.app, host, machine);
  const ours: [string, string][] = [
    ["QR landing page (machine page)", `/m/${machine}`],
    ["report confirmation", `/m/${machine}?thanks=1`],
    ...(follow ? ([["follow page", follow.replace(/\?new=1$/, "")]] as [string, string][]) : []),
    ["public collections", "/collections"],
    ["locations", "/locations"],
    ["status board", "/status"],
  ];
  const pages: TransferPage[] = [];
  for (const [title, path] of ours) pages.push(await weigh(opts.app, host, "app", title, path));
  const qr = `/m/${machine}`;
  pages.push(await weigh(opts.floor, hostFor(opts.floor), "floor", "QR landing page (machine page)", qr));
  pages.push(await weigh(opts.baseline, hostFor(opts.baseline), "baseline", "QR landing page (machine page)", qr));
  return pages;
}
