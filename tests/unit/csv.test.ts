import { describe, expect, it } from "vitest";
import { CSV_BOM, csvDateTime, csvField, csvRow } from "../../core/csv";

describe("csvField", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvField("Left flipper weak")).toBe("Left flipper weak");
    expect(csvField("Café Ölflasche ñ 🎱")).toBe("Café Ölflasche ñ 🎱");
    expect(csvField(42)).toBe("42");
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes (RFC 4180)", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('the "big" one')).toBe('"the ""big"" one"');
    expect(csvField('"')).toBe('""""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("line one\r\nline two")).toBe('"line one\r\nline two"');
    expect(csvField("ends with CR\r")).toBe('"ends with CR\r"');
  });

  it("neutralises text a spreadsheet would run as a formula (OWASP CSV injection)", () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1 coil")).toBe("'+1 coil");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(csvField("\t=1")).toBe("'\t=1");
    // A leading CR is neutralised and, as a line break, quoted.
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField("=cmd|' /C calc'!A0,x")).toBe(`"'=cmd|' /C calc'!A0,x"`);
    // Only the first character counts; numbers are data, not text.
    expect(csvField("a=1")).toBe("a=1");
    expect(csvField(" =1")).toBe(" =1");
    expect(csvField(-5)).toBe("-5");
  });
});

describe("csvRow", () => {
  it("joins fields with commas and ends with CRLF", () => {
    expect(csvRow(["id", "Title, long", 3, null, "=x"])).toBe(`id,"Title, long",3,,'=x\r\n`);
    expect(csvRow([])).toBe("\r\n");
  });

  it("keeps a field with a line break inside one record", () => {
    const row = csvRow(["a", "two\nlines", "c"]);
    expect(row).toBe('a,"two\nlines",c\r\n');
    expect(row.split("\r\n")).toHaveLength(2);
  });
});

describe("CSV_BOM and dates", () => {
  it("is the UTF-8 byte order mark", () => {
    expect([...new TextEncoder().encode(CSV_BOM)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("writes timestamps in UTC as spreadsheets parse them", () => {
    expect(csvDateTime(new Date("2026-01-15T10:04:05.123Z"))).toBe("2026-01-15 10:04:05");
    expect(csvDateTime(null)).toBe("");
  });
});
