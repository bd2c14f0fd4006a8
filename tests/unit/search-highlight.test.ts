import { describe, expect, it } from "vitest";
import { highlightParts, searchWords, trigramSimilarity } from "../../core/search-highlight";

const marked = (text: string, q: string) =>
  highlightParts(text, q)
    .filter((p) => p.mark)
    .map((p) => p.text);

describe("search highlight", () => {
  it("marks typos, stems and whole words; the parts give the text back", () => {
    expect(marked("Left flipper feels weak", "fliper")).toEqual(["flipper"]);
    expect(marked("Flippers weak, left flipper", "flipper")).toEqual(["Flippers", "flipper"]);
    expect(marked("Ball stuck in the shooter lane", "shooter lane")).toEqual(["shooter", "lane"]);
    const text = "Rudy's <b>mouth</b> & eyes";
    expect(
      highlightParts(text, "mouth")
        .map((p) => p.text)
        .join(""),
    ).toBe(text);
    expect(marked(text, "mouth")).toEqual(["mouth"]);
  });

  it("leaves unrelated words, search syntax and short words alone", () => {
    expect(marked("Left flipper feels weak", "coil")).toEqual([]);
    expect(marked("Left flipper feels weak", '-weak "left"')).toEqual(["Left"]);
    expect(searchWords("a or -b cd")).toEqual(["cd"]);
    expect(highlightParts("Anything", "")).toEqual([{ text: "Anything", mark: false }]);
  });

  it("computes pg_trgm's similarity", () => {
    expect(trigramSimilarity("word", "word")).toBe(1);
    // pg: select similarity('fliper', 'flipper') = 0.6666667
    expect(trigramSimilarity("fliper", "flipper")).toBeCloseTo(0.6667, 3);
  });
});
