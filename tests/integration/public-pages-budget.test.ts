/**
 * The public pages a phone opens from a QR sticker stay light (docs/decisions/032-public-pages-without-client-js.md):
 * each one, fetched over real HTTP as a first visit with `Accept-Encoding: br, gzip`, together with every stylesheet,
 * script and modulepreload its HTML names, is at most 60 kB on the wire; and none of them needs JavaScript (no script
 * but the machine page's small inline one for matches while typing; the report form posts and lands on the follow
 * page).
 */
import http from "node:http";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { updateCollectionType } from "~/use-cases/collection-types.server";
import { collectionTypes } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const BUDGET = 60_000;

let t: TestDb;
let server: TestServer;
let cleoId: string;
let pages: string[];

interface Wire {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes as sent (still compressed). */
  body: Buffer;
}

/** A GET as a browser's first visit: no cookies, brotli or gzip accepted, nothing decoded. */
function wireGet(pathname: string, acceptEncoding = "br, gzip"): Promise<Wire> {
  return new Promise((resolve, reject) => {
    http
      .get(
        server.url + pathname,
        { headers: { "X-Organization": "apc", "Accept-Encoding": acceptEncoding } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        },
      )
      .on("error", reject);
  });
}

/** The same page, decoded (fetch decodes), for reading its HTML. */
async function html(pathname: string): Promise<string> {
  const res = await fetch(server.url + pathname, { headers: { "X-Organization": "apc" } });
  expect(res.status, pathname).toBe(200);
  return res.text();
}

/** Every stylesheet, script and modulepreload the page's HTML names. */
function assetsOf(page: string): string[] {
  const urls = new Set<string>();
  for (const tag of page.match(/<(?:link|script)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith("<script");
    const rel = /\brel="([^"]*)"/.exec(tag)?.[1] ?? "";
    const url = (isScript ? /\bsrc="([^"]*)"/ : /\bhref="([^"]*)"/).exec(tag)?.[1];
    if (!url) continue;
    if (isScript || /\b(stylesheet|modulepreload)\b/.test(rel)) urls.add(url);
  }
  // Module scripts inside inline scripts (`import "…"`) load too.
  for (const m of page.matchAll(/import\s*(?:[^"']*from\s*)?["'](\/build\/[^"']+)["']/g)) urls.add(m[1]);
  return [...urls];
}

/** Compressed bytes of the page plus its assets, and a line per item for the failure message. */
async function weigh(pathname: string): Promise<{ total: number; lines: string[]; page: string }> {
  const doc = await wireGet(pathname);
  expect(doc.status, pathname).toBe(200);
  expect(doc.headers["content-encoding"], `${pathname} is compressed`).toMatch(/^(br|gzip)$/);
  const page = await html(pathname);
  let total = doc.body.byteLength;
  const lines = [`${pathname} (${doc.headers["content-encoding"]}): ${doc.body.byteLength} B`];
  for (const url of assetsOf(page)) {
    const asset = await wireGet(url);
    expect(asset.status, url).toBe(200);
    total += asset.body.byteLength;
    lines.push(`${url} (${asset.headers["content-encoding"] ?? "identity"}): ${asset.body.byteLength} B`);
  }
  return { total, lines, page };
}

/**
 * The public pages: the QR landing page, its confirmation, the follow page, collections, locations, the picker, the
 * venue status board.
 */
async function publicPages(): Promise<string[]> {
  const collections = await html("/collections");
  const collection = /href="(\/collections\/[^"/?]+)"/.exec(collections)?.[1];
  const locations = await html("/locations");
  const location = /href="(\/locations\/[^"/?]+)"/.exec(locations)?.[1];
  expect(collection, "a public collection is linked from /collections").toBeTruthy();
  expect(location, "a location is linked from /locations").toBeTruthy();
  const follow = await reportOnCleopatra();
  return [
    `/m/${cleoId}`,
    `/m/${cleoId}?thanks=1`,
    follow,
    follow.replace(/\?new=1$/, ""),
    "/report",
    "/collections",
    collection!,
    "/locations",
    location!,
    "/status",
    "/status?tv=1",
  ];
}

/** Sends the report form as a browser without JavaScript would and returns where it lands (the follow page). */
async function reportOnCleopatra(): Promise<string> {
  const client = server.client({ org: "apc" });
  const page = await client.get(`/m/${cleoId}`);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1];
  expect(key).toBeTruthy();
  const form = new FormData();
  form.set("intent", "report");
  form.set("idempotencyKey", key!);
  form.set("title", "Left flipper is weak");
  // Filed even when an earlier call filed the same (the duplicate guard: tests/integration/duplicate-guard.test.ts).
  form.set("confirmNew", "1");
  form.set("website", "");
  const sent = await client.post(`/m/${cleoId}`, form);
  expect(sent.status).toBe(302);
  expect(sent.location).toMatch(/^\/follow\/[^/?]+\?new=1$/);
  return sent.location!;
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  const apc = await orgIdOf(t.db, "apc");
  // A public collection to look at: the automatic one per manufacturer.
  const [manufacturer] = await t.db
    .select({ id: collectionTypes.id })
    .from(collectionTypes)
    .where(and(eq(collectionTypes.organizationId, apc), eq(collectionTypes.name, "Manufacturer")));
  await updateCollectionType(await actorFor(t.db, apc), manufacturer.id, { isEnabled: true });
  server = await startTestServer(t.db);
  await resetRateLimits();
  cleoId = (await machineByName(t.db, apc, "Cleopatra")).id;
  pages = await publicPages();
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe("public pages", () => {
  it(`each page with its stylesheets and scripts is at most ${BUDGET} bytes compressed, first visit`, async () => {
    const over: string[] = [];
    const all: string[] = [];
    for (const pathname of pages) {
      const { total, lines } = await weigh(pathname);
      const summary = `${pathname}: ${total} B\n  ${lines.join("\n  ")}`;
      all.push(summary);
      if (total > BUDGET) over.push(summary);
    }
    if (process.env.SHOW_BUDGET) console.log(all.join("\n"));
    expect(over, `Over ${BUDGET} B:\n${over.join("\n")}\n\nAll pages:\n${all.join("\n")}`).toEqual([]);
  });

  it("send no JavaScript and still work: the report form posts and lands on the follow page", async () => {
    for (const pathname of pages) {
      const page = await html(pathname);
      // The machine page's one inline script (matches while typing, docs/decisions/038-trigram-search-and-duplicate-
      // guard.md): nonce'd, no source file, about 1 kB; the form works the same without it.
      const inline = pathname.startsWith("/m/")
        ? [...page.matchAll(/<script nonce="[^"]+">([\s\S]*?)<\/script>/g)].map((m) => m[1])
        : [];
      expect(inline.length, pathname).toBeLessThanOrEqual(1);
      for (const code of inline) expect(code.length, `${pathname} inline script`).toBeLessThan(2048);
      expect((page.match(/<script\b[^>]*>/g) ?? []).length, `${pathname} has no other scripts`).toBe(inline.length);
      expect(page, pathname).not.toMatch(/<script\b[^>]*\bsrc=/);
      expect(page, pathname).not.toMatch(/rel="modulepreload"/);
    }
    const form = await html(`/m/${cleoId}`);
    expect(form).toMatch(/<form[^>]*method="post"[^>]*action="\/m\/[^"]+"[^>]*enctype="multipart\/form-data"/i);
  });

  it("have a header of plain links, the open section marked for screen readers; the QR page is all plain HTML", async () => {
    // Remix's <Link>/<NavLink>/<Form> mark their elements with data-discover; plain elements have nothing to discover.
    for (const pathname of pages) {
      const page = await html(pathname);
      const header = page.slice(page.indexOf("<header"), page.indexOf("</header>"));
      expect(header, pathname).toContain("<a ");
      expect(header, pathname).not.toContain("data-discover");
    }
    expect(await html(`/m/${cleoId}`)).not.toContain("data-discover");
    const locations = await html("/locations");
    // The header's one copy of its links (a row on wide screens, the Menu on phones) marks Locations, and nothing
    // else, as the open section.
    expect(locations.match(/<a[^>]*aria-current="page"[^>]*>Locations<\/a>/g)).toHaveLength(1);
    expect(locations.match(/aria-current="page"/g)).toHaveLength(1);
  });

  it("are rendered in one piece, with their length known up front (no streaming renderer without scripts)", async () => {
    // docs/decisions/042-server-overhead.md: renderToString for pages that declare `scripts: false`.
    for (const pathname of pages) {
      const res = await wireGet(pathname, "identity");
      expect(res.status, pathname).toBe(200);
      expect(res.headers["transfer-encoding"], pathname).toBeUndefined();
      expect(res.headers["content-length"], pathname).toBe(String(res.body.byteLength));
      expect(res.body.toString("utf8").startsWith("<!DOCTYPE html><html"), pathname).toBe(true);
    }
  });
});
