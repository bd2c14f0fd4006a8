/**
 * core/reliability.ts: the nested level measures become time down and degraded through the status rule of
 * core/machine-status.ts; uptime and durations in words.
 */
import { describe, expect, it } from "vitest";
import { formatDuration, statusTimes, uptimePercent } from "../../core/reliability";

const ANY = -1000;

describe("statusTimes", () => {
  it("splits nested measures into slices: top order is down, anything else open is degraded", () => {
    // any open 100 s, order ≥ 1 90 s, ≥ 2 60 s, ≥ 4 (top) 25 s
    const times = statusTimes(
      [
        { level: 4, seconds: 25, activeSince: "2026-01-02T00:00:00.000Z" },
        { level: ANY, seconds: 100, activeSince: "2026-01-01T00:00:00.000Z" },
        { level: 1, seconds: 90, activeSince: null },
        { level: 2, seconds: 60, activeSince: null },
      ],
      ANY,
      4,
    );
    expect(times).toEqual({ down: 25, degraded: 75, downSince: "2026-01-02T00:00:00.000Z" });
  });

  it("without priorities nothing is down; without levels nothing happened", () => {
    expect(statusTimes([{ level: ANY, seconds: 50, activeSince: null }], ANY, null)).toEqual({
      down: 0,
      degraded: 50,
      downSince: null,
    });
    expect(statusTimes([], ANY, 4)).toEqual({ down: 0, degraded: 0, downSince: null });
  });
});

describe("uptimePercent and formatDuration", () => {
  it("uptime is the share of counted time not down", () => {
    expect(uptimePercent(10, 40)).toBe(75);
    expect(uptimePercent(50, 40)).toBe(0);
    expect(uptimePercent(0, 0)).toBeNull();
  });

  it("durations in plain words", () => {
    expect(formatDuration(30)).toBe("under a minute");
    expect(formatDuration(45 * 60)).toBe("45 min");
    expect(formatDuration(5 * 3600 + 12 * 60)).toBe("5 h 12 min");
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe("3 d 4 h");
    expect(formatDuration(null)).toBe("—");
  });
});
