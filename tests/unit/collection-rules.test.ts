import { describe, expect, it } from "vitest";
import {
  ERAS,
  cleanManufacturer,
  describeFilterCriteria,
  diffAutoCollections,
  eraForYear,
  groupByEra,
  groupByManufacturer,
  isAutoSourceField,
  manufacturerKey,
  matchesFilterCriteria,
  planAutoCollections,
  stableJson,
  type ExistingAutoCollection,
  type RuleMachine,
} from "../../core/collection-rules";

const m = (id: string, manufacturer: string | null, year: number | null): RuleMachine => ({ id, manufacturer, year });

describe("eras", () => {
  it("are the six decades 1970s … 2020s", () => {
    expect(ERAS.map((e) => e.name)).toEqual(["1970s", "1980s", "1990s", "2000s", "2010s", "2020s"]);
    expect(ERAS[1]).toEqual({ name: "1980s", yearStart: 1980, yearEnd: 1989 });
  });

  it("put a year in its decade, boundaries included", () => {
    expect(eraForYear(1970)?.name).toBe("1970s");
    expect(eraForYear(1979)?.name).toBe("1970s");
    expect(eraForYear(1980)?.name).toBe("1980s");
    expect(eraForYear(2029)?.name).toBe("2020s");
  });

  it("leave out missing, fractional and out-of-range years", () => {
    expect(eraForYear(null)).toBeNull();
    expect(eraForYear(undefined)).toBeNull();
    expect(eraForYear(1968)).toBeNull();
    expect(eraForYear(2030)).toBeNull();
    expect(eraForYear(1985.5)).toBeNull();
  });
});

describe("manufacturer grouping", () => {
  it("cleans and keys names case- and space-insensitively", () => {
    expect(cleanManufacturer("  Stern   Electronics ")).toBe("Stern Electronics");
    expect(cleanManufacturer("   ")).toBeNull();
    expect(cleanManufacturer(null)).toBeNull();
    expect(manufacturerKey("STERN")).toBe(manufacturerKey(" stern"));
  });

  it("groups by manufacturer, sorted by name, keeping different companies apart", () => {
    const groups = groupByManufacturer([
      m("b", "Stern", 2020),
      m("a", "Bally", 1979),
      m("c", "Stern Electronics", 1980),
      m("d", "stern ", 2018),
      m("e", null, 1990),
      m("f", "", 1990),
    ]);
    expect(groups).toEqual([
      { name: "Bally", machineIds: ["a"] },
      { name: "Stern", machineIds: ["b", "d"] },
      { name: "Stern Electronics", machineIds: ["c"] },
    ]);
  });

  it("names a group by its most common spelling", () => {
    const groups = groupByManufacturer([m("1", "WILLIAMS", 1990), m("2", "Williams", 1993), m("3", "Williams", 1980)]);
    expect(groups).toEqual([{ name: "Williams", machineIds: ["1", "2", "3"] }]);
  });
});

describe("era grouping", () => {
  it("skips empty eras and machines outside the eras", () => {
    const groups = groupByEra([
      m("x", "Gottlieb", 1968),
      m("y", "Bally", 1979),
      m("z", "Stern", 2020),
      m("w", "Stern", null),
    ]);
    expect(groups.map((g) => [g.name, g.machineIds])).toEqual([
      ["1970s", ["y"]],
      ["2020s", ["z"]],
    ]);
  });
});

describe("planAutoCollections", () => {
  const machines = [m("1", "Bally", 1979), m("2", "Williams", 1990), m("3", "Bally", 1992), m("4", "Stern", 2020)];

  it("manufacturer → one collection per manufacturer with filterCriteria {manufacturer}", () => {
    const plan = planAutoCollections("manufacturer", machines);
    expect(plan.map((p) => p.name)).toEqual(["Bally", "Stern", "Williams"]);
    expect(plan[0]).toEqual({
      name: "Bally",
      sortOrder: 0,
      filterCriteria: { manufacturer: "Bally" },
      machineIds: ["1", "3"],
    });
  });

  it("year → eras with filterCriteria {yearStart, yearEnd}, chronological sort order", () => {
    const plan = planAutoCollections("year", machines);
    expect(plan.map((p) => p.name)).toEqual(["1970s", "1990s", "2020s"]);
    expect(plan[1]).toEqual({
      name: "1990s",
      sortOrder: 3,
      filterCriteria: { yearStart: 1990, yearEnd: 1999 },
      machineIds: ["2", "3"],
    });
  });

  it("no machines → no collections", () => {
    expect(planAutoCollections("manufacturer", [])).toEqual([]);
    expect(planAutoCollections("year", [])).toEqual([]);
  });
});

describe("diffAutoCollections (what a refresh writes)", () => {
  const stored = (
    id: string,
    name: string,
    sortOrder: number,
    filterCriteria: unknown,
    machineIds: string[],
  ): ExistingAutoCollection => ({
    id,
    name,
    sortOrder,
    filterCriteria,
    machineIds: new Set(machineIds),
  });
  const plan = planAutoCollections("manufacturer", [
    m("1", "Bally", 1979),
    m("2", "Williams", 1990),
    m("3", "Bally", 1992),
  ]);

  it("creates every planned collection when nothing is stored", () => {
    expect(diffAutoCollections(plan, [])).toEqual({ create: plan, update: [], unchanged: 0, remove: [] });
  });

  it("counts collections that are already right as unchanged (criteria compared without key order)", () => {
    const existing = [
      stored("c1", "Bally", 0, { manufacturer: "Bally" }, ["1", "3"]),
      stored("c2", "Williams", 0, { manufacturer: "Williams" }, ["2"]),
    ];
    expect(diffAutoCollections(plan, existing)).toEqual({ create: [], update: [], unchanged: 2, remove: [] });
    const eras = planAutoCollections("year", [m("1", null, 1985)]);
    expect(
      diffAutoCollections(eras, [stored("e", "1980s", 2, { yearEnd: 1989, yearStart: 1980 }, ["1"])]).unchanged,
    ).toBe(1);
  });

  it("adds and removes machines, renames by case-insensitive name, and removes what nothing matches", () => {
    const existing = [
      stored("c1", "BALLY", 0, { manufacturer: "BALLY" }, ["1", "9"]),
      stored("c2", "Williams", 0, { manufacturer: "Williams" }, ["2"]),
      stored("c3", "Gottlieb", 0, { manufacturer: "Gottlieb" }, ["8"]),
    ];
    expect(diffAutoCollections(plan, existing)).toEqual({
      create: [],
      update: [
        {
          id: "c1",
          meta: { name: "Bally", sortOrder: 0, filterCriteria: { manufacturer: "Bally" } },
          add: ["3"],
          remove: ["9"],
        },
      ],
      unchanged: 1,
      remove: ["c3"],
    });
  });

  it("stableJson ignores key order only", () => {
    expect(stableJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(stableJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: "1" }));
    expect(stableJson(undefined)).toBe("null");
  });
});

describe("filter criteria", () => {
  it("match manufacturers case-insensitively and years inclusively", () => {
    expect(matchesFilterCriteria({ manufacturer: "Bally" }, m("1", "bally", 1990))).toBe(true);
    expect(matchesFilterCriteria({ manufacturer: "Bally" }, m("1", "Stern", 1990))).toBe(false);
    expect(matchesFilterCriteria({ yearStart: 1980, yearEnd: 1989 }, m("1", null, 1989))).toBe(true);
    expect(matchesFilterCriteria({ yearStart: 1980, yearEnd: 1989 }, m("1", null, 1990))).toBe(false);
    expect(matchesFilterCriteria({ yearStart: 1980, yearEnd: 1989 }, m("1", null, null))).toBe(false);
  });

  it("unknown shapes match nothing and describe as null", () => {
    expect(matchesFilterCriteria(null, m("1", "Bally", 1980))).toBe(false);
    expect(matchesFilterCriteria({ genre: "EM" }, m("1", "Bally", 1980))).toBe(false);
    expect(describeFilterCriteria({ genre: "EM" })).toBeNull();
    expect(describeFilterCriteria({ manufacturer: "Bally" })).toBe("Manufacturer is Bally");
    expect(describeFilterCriteria({ yearStart: 1980, yearEnd: 1989 })).toBe("Made 1980–1989");
  });

  it("recognises the supported source fields only", () => {
    expect(isAutoSourceField("manufacturer")).toBe(true);
    expect(isAutoSourceField("year")).toBe(true);
    expect(isAutoSourceField("genre")).toBe(false);
    expect(isAutoSourceField(null)).toBe(false);
  });
});
