/**
 * A progress bar on stderr: percentage, rows/s and ETA. On a terminal it redraws one line; when stderr is a file or
 * a pipe (CI logs) it prints a line every 10 % or every 15 s instead of flooding the log.
 */
import { formatDuration, formatInt, rateAndEta } from "./stats";

export interface Progress {
  /** Adds finished rows; `label` describes the current step. */
  add(rows: number, label?: string): void;
  /** Grows the planned total (when a later step turns out larger). */
  setTotal(total: number): void;
  done(): { rows: number; ms: number };
}

export function createProgress(title: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const tty = Boolean(stream.isTTY);
  let done = 0;
  let planned = Math.max(1, total);
  let label = "";
  let lastPrint = 0;
  let lastDecile = -1;

  const line = () => {
    const elapsed = performance.now() - started;
    const pct = Math.min(100, (done / planned) * 100);
    const { rowsPerSecond, etaMs } = rateAndEta(done, planned, elapsed);
    const width = 24;
    const filled = Math.round((pct / 100) * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    return `${title} [${bar}] ${pct.toFixed(1).padStart(5)}% ${formatInt(done)}/${formatInt(planned)} rows · ${formatInt(rowsPerSecond)} rows/s · ETA ${etaMs === null ? "…" : formatDuration(etaMs)}${label ? ` · ${label}` : ""}`;
  };

  const print = (force = false) => {
    const now = performance.now();
    if (tty) {
      if (!force && now - lastPrint < 100) return;
      lastPrint = now;
      stream.write(`\r\x1b[2K${line()}`);
      return;
    }
    const decile = Math.floor((done / planned) * 10);
    if (force || decile > lastDecile || now - lastPrint > 15_000) {
      lastDecile = decile;
      lastPrint = now;
      stream.write(`${line()}\n`);
    }
  };

  print(true);
  return {
    add(rows, newLabel) {
      done += rows;
      if (newLabel !== undefined) label = newLabel;
      if (done > planned) planned = done;
      print();
    },
    setTotal(t) {
      planned = Math.max(1, t, done);
    },
    done() {
      const ms = performance.now() - started;
      label = `done in ${formatDuration(ms)}`;
      planned = Math.max(done, 1);
      print(true);
      if (tty) stream.write("\n");
      return { rows: done, ms };
    },
  };
}
