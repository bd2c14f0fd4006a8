import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formToObject, parseWith } from "~/lib/forms.server";
import { ownValue, setOwn } from "~/lib/own";

const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf"];

describe("ownValue / setOwn", () => {
  const labels: Readonly<Record<string, string>> = { open: "Open", closed: "Closed" };

  it("finds own keys only, never Object.prototype's", () => {
    expect(ownValue(labels, "open")).toBe("Open");
    for (const key of KEYS) expect(ownValue(labels, key), key).toBeUndefined();
    expect(ownValue(labels, null)).toBeUndefined();
    expect(ownValue(labels, 1)).toBeUndefined();
  });

  it("stores any key as a plain own field, __proto__ included", () => {
    const out: Record<string, string> = {};
    for (const key of KEYS) setOwn(out, key, `v:${key}`);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    for (const key of KEYS) expect(Object.hasOwn(out, key) && out[key], key).toBe(`v:${key}`);
    expect(Object.keys(out)).toEqual(KEYS);
  });
});

describe("formToObject with fields named like prototype keys", () => {
  it("keeps them as strings (arrays when repeated) and leaves the prototype alone", () => {
    const fd = new FormData();
    for (const key of KEYS) fd.append(key, key.toUpperCase());
    fd.append("toString", "again");
    fd.append("title", "ok");
    const out = formToObject(fd);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.__proto__).toBe("__PROTO__");
    expect(out.constructor).toBe("CONSTRUCTOR");
    expect(out.toString).toEqual(["TOSTRING", "again"]);
    expect(out.hasOwnProperty).toBe("HASOWNPROPERTY");
    expect(out.title).toBe("ok");
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({ constructor: "CONSTRUCTOR", title: "ok" });
  });

  it("a form without those fields does not see Object.prototype's", () => {
    const fd = new FormData();
    fd.append("title", "ok");
    const out = formToObject(fd);
    for (const key of KEYS.slice(1)) expect(Object.hasOwn(out, key), key).toBe(false);
  });

  it("parseWith reports errors under such keys too", () => {
    const schema = z.record(z.string(), z.string().max(1, "Too long"));
    expect(parseWith(schema, formToObject(new FormData())).ok).toBe(true);
    const fd = new FormData();
    fd.append("constructor", "long");
    fd.append("toString", "long");
    const bad = parseWith(schema, formToObject(fd));
    expect(bad).toEqual({ ok: false, errors: { constructor: "Too long", toString: "Too long" } });
  });
});
