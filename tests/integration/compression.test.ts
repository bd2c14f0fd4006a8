/**
 * Compression over real HTTP (docs/decisions/030-compression.md): pages and single-fetch data go out brotli- or
 * gzip-compressed as the request's Accept-Encoding allows, identity otherwise, always with `Vary: Accept-Encoding`;
 * images are never compressed; build assets come from their precompressed .br/.gz files (with the immutable cache
 * header) and, when a build has none, from the compression middleware. Bodies are read raw (node:http, which does not
 * decode) and must decode to exactly the identity body.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { seedDatabase } from "../../db/seed.server";
import { precompressDirectory } from "../../server/precompressed";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf, signedIn } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

let t: TestDb;
let server: TestServer;
let plainServer: TestServer;
let publicCopy: string;
let plainCopy: string;
let admin: TestClient;
let cleoId: string;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET without any decoding; `acceptEncoding: null` sends no Accept-Encoding header at all. */
function rawGet(base: string, pathname: string, acceptEncoding: string | null, client?: TestClient): Promise<Raw> {
  const headers: Record<string, string> = { "X-Organization": "apc" };
  if (acceptEncoding !== null) headers["Accept-Encoding"] = acceptEncoding;
  if (client?.cookies.size) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Promise((resolve, reject) => {
    http
      .get(base + pathname, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

function decode(raw: Raw): Buffer {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body);
  if (encoding === "gzip") return zlib.gunzipSync(raw.body);
  if (encoding === undefined) return raw.body;
  throw new Error(`unexpected Content-Encoding ${encoding}`);
}

/** A page differs per request only by its CSP nonce and the report form's idempotency key. */
function normalized(body: Buffer): string {
  let html = body.toString("utf8").replace(/nonce="[^"]*"/g, 'nonce=""');
  const key = /name="idempotencyKey"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotencyKey"/.exec(html);
  if (key) html = html.replaceAll(key[1] ?? key[2], "KEY");
  return html;
}

function varyList(raw: Raw): string[] {
  return String(raw.headers.vary ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase());
}

function copyPublic(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-public-"));
  fs.cpSync(path.resolve("public"), dir, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });
  return dir;
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  // Private copies of public/: one precompressed as `npm run build` does, one as plain `remix build` leaves it.
  publicCopy = copyPublic();
  await precompressDirectory(path.join(publicCopy, "build"));
  plainCopy = copyPublic();
  server = await startTestServer(t.db, { publicDir: publicCopy });
  plainServer = await startTestServer(t.db, { publicDir: plainCopy });
  await resetRateLimits();
  admin = await signedIn(server, "admin@dev.local");
  cleoId = (await machineByName(t.db, await orgIdOf(t.db, "apc"), "Cleopatra")).id;
});

afterAll(async () => {
  await server?.close();
  await plainServer?.close();
  await t?.close();
  for (const dir of [publicCopy, plainCopy]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("pages and data", () => {
  it("sends a page brotli-compressed when accepted, gzip when only that is, identity otherwise; same content", async () => {
    // A page that sends its scripts (public pages send none: docs/decisions/032-public-pages-without-client-js.md).
    const page = `/machines/${cleoId}`;
    const identity = await rawGet(server.url, page, null, admin);
    expect(identity.status).toBe(200);
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(varyList(identity)).toContain("accept-encoding");
    // The loader data follows the document (app/entry.server.tsx).
    expect(identity.body.toString("utf8")).toContain("streamController.close()");

    const br = await rawGet(server.url, page, "gzip, deflate, br", admin);
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/^text\/html/);
    expect(varyList(br)).toContain("accept-encoding");
    expect(varyList(br)).toContain("x-organization");
    expect(br.body.byteLength).toBeLessThan(identity.body.byteLength / 2);
    // The page arrives whole, the loader data after </html> included.
    expect(normalized(decode(br))).toBe(normalized(identity.body));

    const gzip = await rawGet(server.url, page, "gzip", admin);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(normalized(decode(gzip))).toBe(normalized(identity.body));

    const refused = await rawGet(server.url, page, "br;q=0, gzip;q=0, identity", admin);
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(normalized(refused.body)).toBe(normalized(identity.body));
  });

  it("compresses single-fetch data of a signed-in page", async () => {
    const identity = await rawGet(server.url, "/machines.data", "identity", admin);
    expect(identity.status).toBe(200);
    expect(identity.body.byteLength).toBeGreaterThan(1024);
    const br = await rawGet(server.url, "/machines.data", "br", admin);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(varyList(br)).toContain("accept-encoding");
    expect(decode(br).equals(identity.body)).toBe(true);
  });

  it("leaves images and small answers uncompressed, and compresses the QR SVG", async () => {
    const png = await rawGet(server.url, `/machines/${cleoId}/qr.png`, "gzip, br", admin);
    expect(png.status).toBe(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.subarray(1, 4).toString("latin1")).toBe("PNG");

    const svg = await rawGet(server.url, `/machines/${cleoId}/qr.svg`, "gzip, br", admin);
    expect(svg.status).toBe(200);
    expect(svg.headers["content-encoding"]).toBe("br");
    expect(decode(svg).toString("utf8")).toMatch(/^<svg|^<\?xml/);

    const health = await rawGet(server.url, "/healthz", "gzip, br");
    expect(health.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(health.body.toString("utf8"))).toEqual({ status: "healthy" });
  });
});

describe("build assets", () => {
  async function assetsOfPage(): Promise<string[]> {
    const html = (await rawGet(server.url, "/login", null)).body.toString("utf8");
    const urls = [...html.matchAll(/(?:href|src)="(\/build\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(urls.some((u) => u.endsWith(".css"))).toBe(true);
    expect(urls.some((u) => u.endsWith(".js"))).toBe(true);
    return [...new Set(urls)];
  }

  it("serves the precompressed variant the client accepts, immutable, with Vary: Accept-Encoding", async () => {
    const urls = await assetsOfPage();
    let compressedSeen = 0;
    for (const url of urls) {
      const onDisk = fs.readFileSync(path.join(publicCopy, ...url.split("/").slice(1)));
      const type = url.endsWith(".css") ? /^text\/css/ : /^(text|application)\/javascript/;
      const identity = await rawGet(server.url, url, null);
      expect(identity.status).toBe(200);
      expect(identity.headers["content-encoding"]).toBeUndefined();
      expect(identity.body.equals(onDisk)).toBe(true);
      expect(identity.headers["content-type"]).toMatch(type);
      expect(varyList(identity)).toContain("accept-encoding");
      expect(identity.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      if (onDisk.byteLength < 1024) continue;
      compressedSeen++;
      for (const [accept, expected] of [
        ["gzip, deflate, br, zstd", "br"],
        ["gzip", "gzip"],
        ["br;q=0, gzip", "gzip"],
        ["*", "br"],
      ] as const) {
        const res = await rawGet(server.url, url, accept);
        expect(res.status, `${url} with ${accept}`).toBe(200);
        expect(res.headers["content-encoding"], `${url} with ${accept}`).toBe(expected);
        expect(res.headers["content-type"]).toBe(identity.headers["content-type"]);
        expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
        expect(varyList(res)).toContain("accept-encoding");
        // The precompressed file itself, not a fresh compression of the asset.
        const variant = fs.readFileSync(
          path.join(publicCopy, ...url.split("/").slice(1)) + (expected === "br" ? ".br" : ".gz"),
        );
        expect(res.body.equals(variant)).toBe(true);
        expect(decode(res).equals(onDisk)).toBe(true);
      }
      const refused = await rawGet(server.url, url, "gzip;q=0, br;q=0");
      expect(refused.headers["content-encoding"]).toBeUndefined();
      expect(refused.body.equals(onDisk)).toBe(true);
    }
    expect(compressedSeen).toBeGreaterThan(0);
  });

  it("compresses on the fly when the build has no precompressed files", async () => {
    const urls = await assetsOfPage();
    const url = urls.find((u) => fs.statSync(path.join(plainCopy, ...u.split("/").slice(1))).size >= 1024)!;
    const onDisk = fs.readFileSync(path.join(plainCopy, ...url.split("/").slice(1)));
    const res = await rawGet(plainServer.url, url, "gzip, br");
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(varyList(res)).toContain("accept-encoding");
    expect(decode(res).equals(onDisk)).toBe(true);
  });
});
