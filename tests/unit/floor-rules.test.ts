import { describe, expect, it } from "vitest";
import { notificationRecipients, type NotificationParties } from "../../core/issue-rules";
import { MACHINE_PRESENCES, isMachinePresence, isOnFloor } from "../../core/machine-presence";
import { isAllowedNoteDay, isMaintenanceTag, mayChangeNote } from "../../core/maintenance";

describe("machine presence", () => {
  it("only on_floor counts as on the floor", () => {
    expect(MACHINE_PRESENCES.filter(isOnFloor)).toEqual(["on_floor"]);
    for (const v of [null, undefined, "", "ON_FLOOR", "on_floor "]) expect(isOnFloor(v)).toBe(false);
    expect(isMachinePresence("on_loan")).toBe(true);
    expect(isMachinePresence("toString")).toBe(false);
  });
});

describe("maintenance notes", () => {
  const now = new Date("2026-11-29T23:30:00Z");
  it("accepts real days from 1900 up to tomorrow (UTC)", () => {
    for (const d of ["1900-01-01", "2024-02-29", "2026-11-29", "2026-11-30"])
      expect(isAllowedNoteDay(d, now)).toBe(true);
    for (const d of ["1899-12-31", "2023-02-29", "2026-12-01", "2026-13-01", "26-11-29", "2026-11-29T00:00", ""])
      expect(isAllowedNoteDay(d, now)).toBe(false);
  });

  it("knows its five tags", () => {
    expect(["maintenance", "parts", "adjustment", "upgrade", "cleaning"].every(isMaintenanceTag)).toBe(true);
    expect(isMaintenanceTag("repair")).toBe(false);
  });

  it("authors change their own notes; others need machine:edit too; nobody without machine:maintain", () => {
    expect(mayChangeNote({ isAuthor: true, canMaintain: true, canEditMachine: false })).toBe(true);
    expect(mayChangeNote({ isAuthor: false, canMaintain: true, canEditMachine: false })).toBe(false);
    expect(mayChangeNote({ isAuthor: false, canMaintain: true, canEditMachine: true })).toBe(true);
    expect(mayChangeNote({ isAuthor: true, canMaintain: false, canEditMachine: true })).toBe(false);
  });
});

describe("watchers among notification recipients", () => {
  const parties = (watchers: NotificationParties["watchers"]): NotificationParties => ({
    owner: {
      userId: "owner",
      isMember: true,
      ownerNotificationsEnabled: true,
      notifyOnNewIssues: true,
      notifyOnStatusChanges: true,
      notifyOnComments: false,
    },
    reporter: { userId: "reporter", isMember: true },
    assignee: { userId: "assignee", isMember: true },
    watchers,
  });

  it("get every event, after the others, once, never as the actor, only while members", () => {
    const w = [
      { userId: "w1", isMember: true },
      { userId: "gone", isMember: false },
      { userId: "owner", isMember: true },
      { userId: "actor", isMember: true },
    ];
    expect(notificationRecipients("created", parties(w), "actor")).toEqual([
      { userId: "owner", role: "owner" },
      { userId: "w1", role: "watcher" },
    ]);
    expect(notificationRecipients("status", parties(w), "actor").map((r) => r.userId)).toEqual([
      "owner",
      "reporter",
      "w1",
    ]);
    expect(notificationRecipients("assigned", parties(w), "actor").map((r) => `${r.userId}:${r.role}`)).toEqual([
      "assignee:assignee",
      "w1:watcher",
      "owner:watcher",
    ]);
    expect(notificationRecipients("commented", parties([]), "actor").map((r) => r.userId)).toEqual([
      "assignee",
      "reporter",
    ]);
  });
});
