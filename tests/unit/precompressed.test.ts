import { describe, expect, it } from "vitest";
import { pickEncoding } from "../../server/precompressed";

describe("pickEncoding (Accept-Encoding for precompressed assets)", () => {
  const both = ["br", "gzip"] as const;
  it("prefers brotli over gzip at equal quality, whatever the header's order", () => {
    expect(pickEncoding("gzip, deflate, br, zstd", both)).toBe("br");
    expect(pickEncoding("br, gzip", both)).toBe("br");
  });
  it("follows q-values, and q=0 refuses a coding", () => {
    expect(pickEncoding("br;q=0.5, gzip", both)).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0.1", both)).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0", both)).toBeNull();
    expect(pickEncoding("gzip;q=0, *", both)).toBe("br");
  });
  it("answers identity without a header, for unknown codings only, or when nothing acceptable exists", () => {
    expect(pickEncoding(undefined, both)).toBeNull();
    expect(pickEncoding("", both)).toBeNull();
    expect(pickEncoding("identity", both)).toBeNull();
    expect(pickEncoding("deflate, zstd", both)).toBeNull();
    expect(pickEncoding("br", ["gzip"])).toBeNull();
    expect(pickEncoding("*", ["gzip"])).toBe("gzip");
    expect(pickEncoding("x-gzip", both)).toBe("gzip");
  });
});
