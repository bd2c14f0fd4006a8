import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  indexCatalogue,
  isValidOpdbId,
  machineNameFor,
  modelLookupOrder,
  normalizePbmMachine,
  normalizePbmMachines,
  pbmMachineToModel,
  planChecksum,
  planSync,
  resolveCatalogueModel,
  safeUrl,
  summarizePlan,
  type LocalMachine,
  type PbmMachine,
} from "../../core/pinballmap-sync";

const fixture = JSON.parse(
  fs.readFileSync(path.resolve("tests/fixtures/pinballmap/location_26454_machine_details.json"), "utf8"),
) as { machines: unknown[] };

const NOW = new Date("2026-11-20T00:00:00Z");

function remote(over: Partial<PbmMachine> & { pbmId: number; name: string }): PbmMachine {
  return {
    manufacturer: null,
    year: null,
    opdbId: null,
    ipdbId: null,
    ipdbLink: null,
    kineticistUrl: null,
    opdbImgUrl: null,
    machineType: null,
    machineDisplay: null,
    isActive: null,
    ...over,
  };
}

function local(over: Partial<LocalMachine> & { id: string; modelName: string }): LocalMachine {
  return {
    name: over.modelName,
    modelId: `model-${over.id}`,
    manufacturer: null,
    year: null,
    opdbId: null,
    ipdbId: null,
    issueCount: 0,
    ...over,
  };
}

/** A script URL, built so linters do not mistake the test data for code. */
const SCRIPT_URL = ["javascript", "alert(1)"].join(":");

describe("normalizePbmMachine (validation)", () => {
  it("accepts every machine of the recorded Austin Pinball Collective listing", () => {
    const { machines, ignored } = normalizePbmMachines(fixture.machines, NOW);
    expect(machines).toHaveLength(41);
    expect(ignored).toEqual([]);
    const cactus = machines.find((m) => m.name === "Cactus Canyon (Remake Special)")!;
    expect(cactus).toMatchObject({
      pbmId: 3422,
      manufacturer: "Chicago Gaming",
      year: 2021,
      opdbId: "G4835-M2YPK-AR5ln",
      ipdbId: null,
      ipdbLink: null,
    });
  });

  it("maps a full modern machine", () => {
    const r = normalizePbmMachine(
      {
        id: 3267,
        name: "Avengers: Infinity Quest (Pro)",
        year: 2020,
        manufacturer: "Stern",
        ipdb_link: "https://www.ipdb.org/machine.cgi?id=6754",
        ipdb_id: 6754,
        kineticist_url: "https://www.kineticist.com/pinball-machines/avengers-infinity-quest-2020",
        opdb_id: "Gj66P-M3dxn",
        opdb_img: "https://img.opdb.org/x.jpg",
        machine_type: "ss",
        machine_display: "lcd",
        is_active: true,
      },
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.machine).toEqual({
      pbmId: 3267,
      name: "Avengers: Infinity Quest (Pro)",
      manufacturer: "Stern",
      year: 2020,
      opdbId: "Gj66P-M3dxn",
      ipdbId: "6754",
      ipdbLink: "https://www.ipdb.org/machine.cgi?id=6754",
      kineticistUrl: "https://www.kineticist.com/pinball-machines/avengers-infinity-quest-2020",
      opdbImgUrl: "https://img.opdb.org/x.jpg",
      machineType: "ss",
      machineDisplay: "lcd",
      isActive: true,
    });
  });

  it("prefers machine_name over name and trims text", () => {
    const r = normalizePbmMachine({ id: 1, name: "short", machine_name: "  Long   Name ", ipdb_id: "12" }, NOW);
    expect(r.ok && r.machine.name).toBe("Long Name");
    expect(r.ok && r.machine.ipdbId).toBe("12");
  });

  it("requires a name and at least one catalogue id", () => {
    expect(normalizePbmMachine({ id: 1, name: " ", opdb_id: "G42Pk-MZe2e" }, NOW)).toMatchObject({
      ok: false,
      ignored: { reason: "No machine name" },
    });
    expect(normalizePbmMachine({ id: 2, name: "Homebrew" }, NOW)).toMatchObject({
      ok: false,
      ignored: { pbmId: 2, name: "Homebrew", reason: "No OPDB or IPDB id to match it by" },
    });
    // malformed ids count as missing
    expect(normalizePbmMachine({ id: 3, name: "X", opdb_id: "not-an-id", ipdb_id: -4 }, NOW).ok).toBe(false);
  });

  it("rejects implausible years (1900 … current year + 2)", () => {
    expect(normalizePbmMachine({ id: 1, name: "Old", year: 1899, ipdb_id: 1 }, NOW).ok).toBe(false);
    expect(normalizePbmMachine({ id: 1, name: "Future", year: 2029, ipdb_id: 1 }, NOW).ok).toBe(false);
    expect(normalizePbmMachine({ id: 1, name: "Soon", year: 2028, ipdb_id: 1 }, NOW).ok).toBe(true);
    expect(normalizePbmMachine({ id: 1, name: "Text year", year: "1981", ipdb_id: 1 }, NOW)).toMatchObject({
      ok: true,
      machine: { year: 1981 },
    });
    expect(normalizePbmMachine({ id: 1, name: "Bad year", year: "soon", ipdb_id: 1 }, NOW).ok).toBe(false);
  });

  it("reports malformed entries instead of throwing", () => {
    expect(normalizePbmMachine("garbage", NOW)).toMatchObject({ ok: false, ignored: { reason: "Malformed entry" } });
    expect(normalizePbmMachine({ id: "7", name: "X" }, NOW)).toMatchObject({
      ok: false,
      ignored: { pbmId: null, name: "X" },
    });
    expect(normalizePbmMachine(null, NOW).ok).toBe(false);
  });

  it("drops non-http URLs", () => {
    expect(safeUrl(SCRIPT_URL)).toBeNull();
    expect(safeUrl("ftp://x")).toBeNull();
    expect(safeUrl("https://www.ipdb.org/machine.cgi?id=1")).toBe("https://www.ipdb.org/machine.cgi?id=1");
    const r = normalizePbmMachine({ id: 1, name: "X", ipdb_id: 1, ipdb_link: SCRIPT_URL }, NOW);
    expect(r.ok && r.machine.ipdbLink).toBeNull();
  });

  it("validates OPDB ids", () => {
    expect(isValidOpdbId("G42Pk-MZe2e")).toBe(true);
    expect(isValidOpdbId("G4835-M2YPK-AR5ln")).toBe(true);
    expect(isValidOpdbId("GrknN")).toBe(true);
    expect(isValidOpdbId("G42Pk-")).toBe(false);
    expect(isValidOpdbId("custom-123")).toBe(false);
  });
});

describe("pbmMachineToModel (transformer)", () => {
  it("maps a full machine to Model fields", () => {
    const fields = pbmMachineToModel(
      remote({
        pbmId: 1,
        name: "Deadpool (Premium)",
        manufacturer: "Stern",
        year: 2018,
        opdbId: "G6lnq-MRj7Z",
        ipdbId: "6559",
        ipdbLink: "https://www.ipdb.org/machine.cgi?id=6559",
        kineticistUrl: "https://www.kineticist.com/x",
        opdbImgUrl: "https://img.opdb.org/y.jpg",
        machineType: "ss",
        machineDisplay: "lcd",
      }),
    );
    expect(fields).toEqual({
      name: "Deadpool (Premium)",
      manufacturer: "Stern",
      year: 2018,
      opdbId: "G6lnq-MRj7Z",
      ipdbId: "6559",
      machineType: "ss",
      machineDisplay: "lcd",
      isActive: true,
      ipdbLink: "https://www.ipdb.org/machine.cgi?id=6559",
      opdbImgUrl: "https://img.opdb.org/y.jpg",
      kineticistUrl: "https://www.kineticist.com/x",
      isCustom: false,
    });
  });

  it("maps a minimal vintage machine without IPDB, omitting null fields", () => {
    expect(pbmMachineToModel(remote({ pbmId: 2, name: "Domino", opdbId: "G4j8k-MJK5K" }))).toEqual({
      name: "Domino",
      opdbId: "G4j8k-MJK5K",
      isActive: true,
      isCustom: false,
    });
  });

  it("keeps isActive=false", () => {
    expect(pbmMachineToModel(remote({ pbmId: 3, name: "Retired", ipdbId: "9", isActive: false })).isActive).toBe(false);
  });

  it("looks models up by OPDB id, then IPDB id", () => {
    expect(modelLookupOrder({ opdbId: "G42Pk-MZe2e", ipdbId: "2821" })).toEqual([
      { by: "opdbId", value: "G42Pk-MZe2e" },
      { by: "ipdbId", value: "2821" },
    ]);
    expect(modelLookupOrder({ opdbId: null, ipdbId: "2821" })).toEqual([{ by: "ipdbId", value: "2821" }]);
    expect(modelLookupOrder({ opdbId: null, ipdbId: null })).toEqual([]);
  });
});

describe("resolveCatalogueModel", () => {
  const catalogue = indexCatalogue([
    { id: "global", name: "Xenon", opdbId: "G42Pk-MZe2e", ipdbId: "2821", organizationId: null },
    { id: "ours", name: "Homebrew", opdbId: "GAAAA-MAAAA", ipdbId: null, organizationId: "org-1" },
    { id: "theirs", name: "Secret", opdbId: "GBBBB-MBBBB", ipdbId: "77", organizationId: "org-2" },
  ]);

  it("uses a global or the organization's own model, OPDB id first, then IPDB id", () => {
    expect(
      resolveCatalogueModel(catalogue, "org-1", remote({ pbmId: 1, name: "Xenon", opdbId: "G42Pk-MZe2e" }), true),
    ).toMatchObject({
      kind: "existing",
      model: { id: "global" },
    });
    expect(
      resolveCatalogueModel(
        catalogue,
        "org-1",
        remote({ pbmId: 1, name: "Xenon", opdbId: "GNew1-MNew1", ipdbId: "2821" }),
        false,
      ),
    ).toMatchObject({
      kind: "existing",
      model: { id: "global" },
    });
    expect(
      resolveCatalogueModel(catalogue, "org-1", remote({ pbmId: 2, name: "Homebrew", opdbId: "GAAAA-MAAAA" }), true),
    ).toMatchObject({
      kind: "existing",
      model: { id: "ours" },
    });
  });

  it("never uses another organization's custom model, nor creates a second one with its ids", () => {
    const r = resolveCatalogueModel(catalogue, "org-1", remote({ pbmId: 3, name: "Secret", ipdbId: "77" }), true);
    expect(r).toEqual({ kind: "unavailable", reason: "Its catalogue id is taken by a custom model" });
  });

  it("an unknown title is new, or skipped when creating models is off", () => {
    expect(
      resolveCatalogueModel(catalogue, "org-1", remote({ pbmId: 4, name: "New", opdbId: "GCCCC-MCCCC" }), true),
    ).toEqual({ kind: "new" });
    expect(
      resolveCatalogueModel(catalogue, "org-1", remote({ pbmId: 4, name: "New", opdbId: "GCCCC-MCCCC" }), false),
    ).toMatchObject({
      kind: "unavailable",
    });
  });
});

describe("planSync (matching)", () => {
  const xenon = remote({ pbmId: 10, name: "Xenon", opdbId: "G42Pk-MZe2e", ipdbId: "2821" });
  const funhouse = remote({ pbmId: 11, name: "Funhouse", opdbId: "G5Dz7-Mq139", ipdbId: "966" });
  const cactus = remote({ pbmId: 12, name: "Cactus Canyon (Remake Special)", opdbId: "G4835-M2YPK-AR5ln" });

  it("everything only on Pinball Map for an empty location", () => {
    const plan = planSync([xenon, funhouse], []);
    expect(plan.inSync).toEqual([]);
    expect(plan.onlyRemote.map((r) => r.name)).toEqual(["Funhouse", "Xenon"]);
    expect(plan.onlyLocal).toEqual([]);
  });

  it("matches by OPDB id first, then by IPDB id", () => {
    const byOpdb = local({ id: "m1", modelName: "Xenon", opdbId: "G42Pk-MZe2e", ipdbId: "2821" });
    const byIpdb = local({ id: "m2", modelName: "Fun House", opdbId: "G5Dz7-OTHER", ipdbId: "966" });
    const plan = planSync([xenon, funhouse], [byOpdb, byIpdb]);
    expect(plan.inSync.map((p) => [p.remote.name, p.local.id, p.matchedBy])).toEqual([
      ["Funhouse", "m2", "ipdb"],
      ["Xenon", "m1", "opdb"],
    ]);
    expect(plan.onlyRemote).toEqual([]);
    expect(plan.onlyLocal).toEqual([]);
  });

  it("does not let an IPDB match steal a machine another entry matches by OPDB", () => {
    // Two remote entries share IPDB 966; one has the OPDB id of our only machine.
    const a = remote({ pbmId: 1, name: "A", ipdbId: "966" });
    const b = remote({ pbmId: 2, name: "B", opdbId: "G5Dz7-Mq139", ipdbId: "966" });
    const ours = local({ id: "m", modelName: "Funhouse", opdbId: "G5Dz7-Mq139", ipdbId: "966" });
    const plan = planSync([a, b], [ours]);
    expect(plan.inSync.map((p) => [p.remote.name, p.matchedBy])).toEqual([["B", "opdb"]]);
    expect(plan.onlyRemote.map((r) => r.name)).toEqual(["A"]);
  });

  it("is one-to-one: two copies of a title need two machines", () => {
    const copy2 = { ...xenon, pbmId: 99 };
    const ours = local({ id: "m1", modelName: "Xenon", opdbId: "G42Pk-MZe2e" });
    const plan = planSync([xenon, copy2], [ours]);
    expect(plan.inSync).toHaveLength(1);
    expect(plan.onlyRemote).toHaveLength(1);
  });

  it("lists local machines that are not on Pinball Map, with issue counts", () => {
    const extra = local({ id: "x", modelName: "Medieval Madness", opdbId: "G5pe4-MePZv", issueCount: 2 });
    const spare = local({ id: "y", modelName: "Attack from Mars", ipdbId: "3781" });
    const plan = planSync([cactus], [extra, spare]);
    expect(plan.onlyLocal.map((l) => l.id)).toEqual(["y", "x"]);
    expect(summarizePlan(plan)).toEqual({ inSync: 0, onlyRemote: 1, onlyLocal: 2, removable: 1 });
  });

  it("is deterministic whatever the input order", () => {
    const locals = [
      local({ id: "m1", modelName: "Xenon", opdbId: "G42Pk-MZe2e" }),
      local({ id: "m2", modelName: "Other", ipdbId: "1" }),
    ];
    const p1 = planSync([xenon, funhouse, cactus], locals);
    const p2 = planSync([cactus, funhouse, xenon], [...locals].reverse());
    expect(p2).toEqual(p1);
    expect(planChecksum(p2)).toBe(planChecksum(p1));
  });
});

describe("planChecksum", () => {
  const base = [remote({ pbmId: 1, name: "Xenon", opdbId: "G42Pk-MZe2e", manufacturer: "Bally", year: 1979 })];

  it("is a stable hex fingerprint", () => {
    const c = planChecksum(planSync(base, []));
    expect(c).toMatch(/^[0-9a-f]{32}$/);
    expect(planChecksum(planSync(base, []))).toBe(c);
  });

  it("changes when the remote list or the local machines change", () => {
    const c = planChecksum(planSync(base, []));
    expect(planChecksum(planSync([...base, remote({ pbmId: 2, name: "Funhouse", ipdbId: "966" })], []))).not.toBe(c);
    expect(planChecksum(planSync([{ ...base[0], year: 1980 }], []))).not.toBe(c);
    expect(planChecksum(planSync(base, [local({ id: "z", modelName: "Other", ipdbId: "5" })]))).not.toBe(c);
  });
});

describe("machineNameFor (#n naming)", () => {
  it("uses the model name when free, else the next free #n", () => {
    expect(machineNameFor("Xenon", [])).toBe("Xenon");
    expect(machineNameFor("Xenon", ["Xenon"])).toBe("Xenon #2");
    expect(machineNameFor("Xenon", ["xenon", "Xenon #2"])).toBe("Xenon #3");
    expect(machineNameFor("Xenon", ["Xenon #2"])).toBe("Xenon");
  });
});
