import { describe, expect, it } from "vitest";
import { mergeProblem, type MergeParty } from "../../core/issue-merge";

const party = (id: string, over: Partial<MergeParty> = {}): MergeParty => ({
  id,
  mergedIntoId: null,
  mergedInCount: 0,
  ...over,
});

describe("mergeProblem", () => {
  it("allows a plain duplicate into a plain issue", () => {
    expect(mergeProblem(party("b"), party("a"))).toBeNull();
  });
  it("refuses merging an issue into itself", () => {
    expect(mergeProblem(party("a"), party("a"))).toBe("self");
  });
  it("refuses a duplicate that is already merged", () => {
    expect(mergeProblem(party("b", { mergedIntoId: "c" }), party("a"))).toBe("source_merged");
  });
  it("refuses a target that is itself merged (no chains)", () => {
    expect(mergeProblem(party("b"), party("a", { mergedIntoId: "c" }))).toBe("target_merged");
  });
  it("refuses a duplicate that has duplicates of its own (no chains)", () => {
    expect(mergeProblem(party("b", { mergedInCount: 1 }), party("a"))).toBe("source_has_duplicates");
  });
});
