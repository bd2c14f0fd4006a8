/**
 * Pinball Map (https://pinballmap.com) HTTP client. The preview and apply of a location sync that use it are in
 * app/use-cases/pinballmap.server.ts.
 *
 * Client: `GET {PINBALLMAP_BASE_URL}/api/v1/locations/{id}/machine_details.json` → `{ machines: [...] }`.
 * - PINBALLMAP_BASE_URL (default https://pinballmap.com) and PINBALLMAP_TIMEOUT_MS (default 10000) are read on every
 *   call, so tests (and operators) can point a running server elsewhere.
 * - Every failure becomes a `PinballMapError` with a message an admin can act on: unreachable, timed out, HTTP error,
 *   unknown location, or an answer that is not the JSON we expect (validated with zod). Nothing is written before the
 *   remote list is fully fetched and validated.
 *
 * Data from Pinball Map is licensed CC BY-SA 4.0; pages that show it credit Pinball Map (core/pinballmap.ts).
 */
import {
  normalizePbmMachines,
  pbmMachineDetailsSchema,
  type IgnoredPbmMachine,
  type PbmMachine,
} from "../../core/pinballmap-sync";

export const DEFAULT_PINBALLMAP_BASE_URL = "https://pinballmap.com";
export const DEFAULT_PINBALLMAP_TIMEOUT_MS = 10_000;
/** Largest answer we read (a big location is well under 1 MB). */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export type PinballMapErrorKind = "config" | "unreachable" | "timeout" | "http" | "not_found" | "invalid_response";

/**
 * Pinball Map could not give a usable lineup (or our settings to reach it are broken). Not a Failure: the request was
 * fine, another service let it down; app/lib/pinballmap-answers.server.ts says how pages answer it.
 */
const BRAND = Symbol.for("pinpoint.pinballMapError");

export class PinballMapError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly kind: PinballMapErrorKind,
    message: string,
    /** Pinball Map's own HTTP status, when it answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PinballMapError";
  }
}

/** True for a PinballMapError, also one created by another copy of this module (the server bundle and test sources). */
export function isPinballMapError(error: unknown): error is PinballMapError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

export interface PinballMapSettings {
  baseUrl: string;
  timeoutMs: number;
}

/** Current settings from the environment (read at call time). */
export function pinballMapSettings(env: NodeJS.ProcessEnv = process.env): PinballMapSettings {
  const rawBase = (env.PINBALLMAP_BASE_URL ?? "").trim() || DEFAULT_PINBALLMAP_BASE_URL;
  let baseUrl: string;
  try {
    const u = new URL(rawBase);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("protocol");
    baseUrl = u.toString().replace(/\/+$/, "");
  } catch {
    throw new PinballMapError("config", "The Pinball Map address (PINBALLMAP_BASE_URL) is not a valid http(s) URL.");
  }
  const rawTimeout = Number(env.PINBALLMAP_TIMEOUT_MS);
  const timeoutMs =
    Number.isFinite(rawTimeout) && rawTimeout > 0
      ? Math.min(Math.max(Math.round(rawTimeout), 50), 120_000)
      : DEFAULT_PINBALLMAP_TIMEOUT_MS;
  return { baseUrl, timeoutMs };
}

export function machineDetailsUrl(baseUrl: string, pinballMapId: number): string {
  return `${baseUrl}/api/v1/locations/${encodeURIComponent(String(pinballMapId))}/machine_details.json`;
}

export interface LocationLineup {
  machines: PbmMachine[];
  ignored: IgnoredPbmMachine[];
  sourceUrl: string;
  fetchedAt: Date;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 1 ? `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? "" : "s"}` : `${ms} ms`;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "TimeoutError" || (name === "AbortError" && String((error as Error).message).includes("timeout"));
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: string }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readLimited(res: Response): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await res.body?.cancel().catch(() => {});
    throw new PinballMapError("invalid_response", "Pinball Map sent an unexpectedly large answer; it was not used.");
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw new PinballMapError("invalid_response", "Pinball Map sent an unexpectedly large answer; it was not used.");
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Fetches and validates the machine lineup of a Pinball Map location. Throws PinballMapError (never anything else)
 * on any failure.
 */
export async function fetchLocationMachines(
  pinballMapId: number,
  opts: Partial<PinballMapSettings> & { fetchImpl?: typeof fetch } = {},
): Promise<LocationLineup> {
  if (!Number.isInteger(pinballMapId) || pinballMapId <= 0) {
    throw new PinballMapError("config", "The location has no valid Pinball Map id.");
  }
  const settings = { ...pinballMapSettings(), ...stripUndefined(opts) };
  const sourceUrl = machineDetailsUrl(settings.baseUrl, pinballMapId);
  const doFetch = opts.fetchImpl ?? fetch;
  let bodyText: string;
  let res: Response;
  try {
    res = await doFetch(sourceUrl, {
      headers: {
        Accept: "application/json",
        "User-Agent": "PinPoint issue tracker (+https://pinballmap.com data, CC BY-SA 4.0)",
      },
      redirect: "follow",
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      if (res.status === 404) {
        throw new PinballMapError(
          "not_found",
          `Pinball Map does not know location ${pinballMapId}. Check the Pinball Map id.`,
          404,
        );
      }
      if (res.status === 429) {
        throw new PinballMapError(
          "http",
          "Pinball Map is limiting requests right now (HTTP 429). Try again in a few minutes.",
          429,
        );
      }
      throw new PinballMapError(
        "http",
        `Pinball Map answered with an error (HTTP ${res.status}). Nothing was changed; try again later.`,
        res.status,
      );
    }
    bodyText = await readLimited(res);
  } catch (error) {
    if (error instanceof PinballMapError) throw error;
    if (isTimeout(error)) {
      throw new PinballMapError(
        "timeout",
        `Pinball Map did not answer within ${seconds(settings.timeoutMs)}. Nothing was changed; try again later.`,
        undefined,
        { cause: error },
      );
    }
    const code = networkCode(error);
    const detail =
      code === "ECONNREFUSED"
        ? " (connection refused)"
        : code === "ENOTFOUND"
          ? " (host not found)"
          : code
            ? ` (${code})`
            : "";
    throw new PinballMapError(
      "unreachable",
      `Could not reach Pinball Map${detail}. Nothing was changed; check the connection and try again later.`,
      undefined,
      { cause: error },
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch (error) {
    throw new PinballMapError(
      "invalid_response",
      "Pinball Map sent an answer that is not valid JSON. Nothing was changed.",
      undefined,
      {
        cause: error,
      },
    );
  }
  if (json && typeof json === "object" && !Array.isArray(json) && "errors" in json && !("machines" in json)) {
    const errors = (json as { errors: unknown }).errors;
    const said = typeof errors === "string" ? errors.slice(0, 200) : "an error";
    throw new PinballMapError(
      "not_found",
      `Pinball Map could not give the machines of location ${pinballMapId}: ${said}.`,
    );
  }
  const envelope = pbmMachineDetailsSchema.safeParse(json);
  if (!envelope.success) {
    throw new PinballMapError(
      "invalid_response",
      "Pinball Map sent an answer without a machine list (unexpected format). Nothing was changed.",
    );
  }
  const { machines, ignored } = normalizePbmMachines(envelope.data.machines);
  if (machines.length === 0 && ignored.length > 0) {
    throw new PinballMapError(
      "invalid_response",
      `None of the ${ignored.length} machines Pinball Map sent could be read (unexpected format). Nothing was changed.`,
    );
  }
  return { machines, ignored, sourceUrl, fetchedAt: new Date() };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== "fetchImpl")) as Partial<T>;
}
