import { describe, expect, it } from "vitest";
import { MACHINE_TYPE_VALUES, machineFileSlug, modelYearRange } from "../../core/machines";

describe("machineFileSlug", () => {
  it("turns a machine name into lower-case ASCII words joined by dashes", () => {
    expect(machineFileSlug("Cleopatra")).toBe("cleopatra");
    expect(machineFileSlug("Attack from Mars #2")).toBe("attack-from-mars-2");
    expect(machineFileSlug("  Señor   Pinball_Über ")).toBe("senor-pinball-uber");
  });

  it("keeps file names short and never empty", () => {
    expect(machineFileSlug("x".repeat(200))).toHaveLength(60);
    expect(machineFileSlug("日本語")).toBe("machine");
    // Nothing that could break out of the quoted Content-Disposition file name.
    expect(machineFileSlug('Bad "name"; rm -rf /')).toMatch(/^[a-z0-9-]+$/);
  });
});

describe("modelYearRange", () => {
  it("runs from 1900 to two years ahead", () => {
    expect(modelYearRange(new Date("2026-06-01T00:00:00Z"))).toEqual({ min: 1900, max: 2028 });
  });
});

describe("MACHINE_TYPE_VALUES", () => {
  it("lists the stored values of the type picker", () => {
    expect(MACHINE_TYPE_VALUES).toEqual(["em", "ss", "digital", "other"]);
  });
});
