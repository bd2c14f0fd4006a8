import { describe, expect, it } from "vitest";
import { maintenanceNoteRecipients } from "../../core/maintenance";
import { choiceOfFrequency, effectiveChoices, emailChoiceFor, readEmailChoices } from "../../core/notification-email";

describe("notification e-mail choices per kind", () => {
  it("a stored choice wins; a missing kind follows the older single setting (weekly becomes daily)", () => {
    const person = {
      enabled: true,
      byKind: { ISSUE_ASSIGNED: "IMMEDIATE", ISSUE_COMMENTED: "OFF" },
      frequency: "WEEKLY",
    };
    expect(emailChoiceFor("ISSUE_ASSIGNED", person)).toBe("IMMEDIATE");
    expect(emailChoiceFor("ISSUE_COMMENTED", person)).toBe("OFF");
    expect(emailChoiceFor("ISSUE_UPDATED", person)).toBe("DAILY");
    expect(choiceOfFrequency("DISABLED")).toBe("OFF");
    expect(choiceOfFrequency("IMMEDIATE")).toBe("IMMEDIATE");
  });

  it("the master switch off, or a type that is no e-mail kind, means no e-mail", () => {
    const byKind = { ISSUE_ASSIGNED: "IMMEDIATE" };
    expect(emailChoiceFor("ISSUE_ASSIGNED", { enabled: false, byKind, frequency: "IMMEDIATE" })).toBe("OFF");
    expect(emailChoiceFor("SYSTEM_ANNOUNCEMENT", { enabled: true, byKind, frequency: "IMMEDIATE" })).toBe("OFF");
  });

  it("drops unknown kinds and values from what is stored", () => {
    expect(readEmailChoices({ ISSUE_ASSIGNED: "HOURLY", NOPE: "OFF", ISSUE_CREATED: "DAILY" })).toEqual({
      ISSUE_CREATED: "DAILY",
    });
    expect(readEmailChoices(null)).toEqual({});
    expect(readEmailChoices([1])).toEqual({});
    expect(effectiveChoices({ byKind: {}, frequency: "IMMEDIATE" })).toEqual({
      ISSUE_ASSIGNED: "IMMEDIATE",
      ISSUE_COMMENTED: "IMMEDIATE",
      ISSUE_UPDATED: "IMMEDIATE",
      ISSUE_CREATED: "IMMEDIATE",
      MACHINE_MAINTENANCE: "IMMEDIATE",
    });
  });
});

describe("who hears of a maintenance note", () => {
  it("the machine's watchers who are members, each once, never the author", () => {
    const watchers = [
      { userId: "author", isMember: true },
      { userId: "a", isMember: true },
      { userId: "left", isMember: false },
      { userId: "a", isMember: true },
      { userId: "b", isMember: true },
    ];
    expect(maintenanceNoteRecipients(watchers, "author")).toEqual(["a", "b"]);
    expect(maintenanceNoteRecipients([], "author")).toEqual([]);
  });
});
