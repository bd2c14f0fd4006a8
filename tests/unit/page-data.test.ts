import { describe, expect, it } from "vitest";
import { pageData, readPageData } from "~/lib/page-data";

describe("page data packed as one JSON string (app/lib/page-data.ts)", () => {
  const data = { title: "Left flipper weak", tags: ["a", "b"], assignee: null, n: 3, nested: { ok: true } };

  it("sends one string that parses back to the same values", () => {
    const packed = pageData(data);
    expect(Object.keys(packed)).toEqual(["json"]);
    expect(JSON.parse(packed.json)).toEqual(data);
  });

  it("on the server, reading gives the loader's own object (nothing parsed)", () => {
    const packed = pageData(data);
    expect(readPageData(packed)).toBe(data);
  });

  it("in the browser, the packed object as decoded is parsed once and every reader gets the same object", () => {
    const decoded = { json: pageData(data).json };
    const first = readPageData<typeof data>(decoded);
    expect(first).toEqual(data);
    expect(first).not.toBe(data);
    expect(readPageData(decoded)).toBe(first);
  });
});

describe("every page sends its data packed", () => {
  it("each route that reads loader data reads it through usePageData (one way for all pages)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = new URL("../../app/routes/", import.meta.url);
    const readers = readdirSync(dir)
      .filter((f) => f.endsWith(".tsx"))
      .map((f) => ({ f, text: readFileSync(new URL(f, dir), "utf8") }))
      .filter(({ text }) => text.includes("useLoaderData"));
    expect(readers.length).toBeGreaterThan(30);
    const unpacked = readers.filter(({ text }) => !/usePageData\(useLoaderData<typeof loader>\(\)\)/.test(text));
    expect(unpacked.map(({ f }) => f)).toEqual([]);
  });
});
