/**
 * The web app manifest that lets staff add PinPoint to a phone's home screen: linked from every page with a theme
 * colour, served as application/manifest+json, and naming 192 and 512 pixel PNG icons that exist at those sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestServer, type TestServer } from "../helpers/http";

let t: TestDb;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string }[];
}

describe("web app manifest", () => {
  it("is linked from pages, with the theme colour", async () => {
    for (const pathname of ["/", "/report", "/login"]) {
      const page = await server.client({ org: "apc" }).get(pathname);
      expect(page.status, pathname).toBe(200);
      expect(page.text, pathname).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
      expect(page.text, pathname).toContain('<meta name="theme-color" content="#4f46e5"/>');
    }
  });

  it("names the app and its 192 and 512 pixel icons, which are PNGs of those sizes", async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as Manifest;
    expect(manifest).toMatchObject({ name: "PinPoint", start_url: "/", display: "standalone", theme_color: "#4f46e5" });
    expect(manifest.icons.map((i) => i.sizes).sort()).toEqual(["192x192", "512x512"]);
    for (const icon of manifest.icons) {
      const file = await fetch(server.url + icon.src);
      expect(file.status, icon.src).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await file.arrayBuffer());
      // PNG signature, then the IHDR chunk: width and height as 32-bit big-endian numbers at bytes 16 and 20.
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  });
});
