/**
 * How pages are rendered and sent (app/entry.server.tsx, docs/decisions/045-one-pass-rendering.md): every page in one
 * synchronous pass with its length known up front; a page with scripts carries its loader data after the document in
 * one inline script, which no text in the data can end early, and which decodes to the same data.
 */
import { eq } from "drizzle-orm";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { openIssueOf, orgIdOf, signedIn } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { readPageData, type PageData } from "~/lib/page-data";

let t: TestDb;
let server: TestServer;
let admin: TestClient;
let issueId: string;

// Text that would end a script element, open an HTML comment or break a line in a script if it reached the page raw.
const HOSTILE_TITLE = "Flipper </script><script>window.__hostile=1</script> <!-- & \u2028 \u2029 done";

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  await resetRateLimits();
  admin = await signedIn(server, "admin@dev.local");
  ({ issueId } = await openIssueOf(t.db, await orgIdOf(t.db, "apc"), "Cleopatra"));
  await t.db.update(issues).set({ title: HOSTILE_TITLE }).where(eq(issues.id, issueId));
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

/** The text passed to `streamController.enqueue(...)` in the page's last script. */
function loaderDataOf(html: string): string {
  const match = /<script[^>]*>window\.__remixContext\.streamController\.enqueue\(("(?:[^"\\]|\\.)*")\);window\.__remixContext\.streamController\.close\(\);<\/script>$/.exec(
    html,
  );
  if (!match) throw new Error("no loader data script at the end of the page");
  return JSON.parse(match[1]) as string;
}

async function decodeLoaderData(text: string): Promise<unknown> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
  const decoded = await decode(stream);
  await decoded.done;
  return decoded.value;
}

describe("pages with scripts", () => {
  it("are sent in one piece, with Content-Length, the loader data in one script after the document", async () => {
    const res = await admin.get(`/issues/${issueId}`, { "Accept-Encoding": "identity" });
    expect(res.status).toBe(200);
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(res.text)));
    expect(res.text.startsWith("<!DOCTYPE html><html")).toBe(true);
    // The document ends, then only the data script follows (React's streaming renderer added Suspense markers).
    const afterDocument = res.text.slice(res.text.lastIndexOf("</html>") + "</html>".length);
    expect(afterDocument).toMatch(/^<script nonce="[^"]+">window\.__remixContext\.streamController\.enqueue\(/);
    expect(afterDocument.match(/<script/g)).toHaveLength(1);
    expect(res.text).not.toContain("<!--$-->");
  });

  it("no text in the loader data can end the script early, and the data decodes to what the loader returned", async () => {
    const res = await admin.get(`/issues/${issueId}`, { "Accept-Encoding": "identity" });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("<script>window.__hostile");
    const script = res.text.slice(res.text.lastIndexOf("</html>") + "</html>".length);
    // Inside the data script: no "<", ">", "&" or line separators at all, only their \u escapes.
    const inner = script.slice(script.indexOf(">") + 1, script.lastIndexOf("</script>"));
    expect(inner).not.toMatch(/[<>&\u2028\u2029]/);
    const data = (await decodeLoaderData(loaderDataOf(res.text))) as {
      loaderData: Record<string, PageData<{ issue: { title: string } }>>;
    };
    // The issue page's data travels as one JSON string (app/lib/page-data.ts).
    expect(readPageData(data.loaderData["routes/issues.$issueId"]).issue.title).toBe(HOSTILE_TITLE);
  });

  it("single-fetch data requests (client navigation) still answer with the encoded data", async () => {
    const res = await admin.get(`/issues/${issueId}.data`, { "Accept-Encoding": "identity" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/x-script/);
    const data = (await decodeLoaderData(res.text)) as Record<string, { data: PageData<{ issue: { title: string } }> }>;
    expect(readPageData(data["routes/issues.$issueId"].data).issue.title).toBe(HOSTILE_TITLE);
  });
});
