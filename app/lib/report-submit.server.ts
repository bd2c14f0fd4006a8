/**
 * Storing a report from the public machine page (/m/<machineId>): the photo file, then, under the form's
 * idempotency key, the anonymous-reporter rate limits and the issue itself (app/use-cases/issues.server.ts) in one
 * transaction. A repeat of the submit with the same key gets the first answer: it is neither counted against the
 * limits nor stored again (a concurrent repeat's copy of the photo is removed again).
 */
import { isFailure } from "../../core/failure";
import type { Actor } from "../use-cases/actor";
import { reportIssue, type IssueReporter } from "../use-cases/issues.server";
import { RULES, checkLimits, peekLimits, type RateLimitRule } from "./rate-limit.server";
import { deleteStoredUpload, saveImageUpload, type CheckedImage } from "./uploads.server";
import { findAnswer, runOnce } from "../../db/queries/idempotency.server";

export type ReportOutcome =
  | { ok: true; location: string }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | { ok: false; reason: "machine_not_found" | "not_accepting" };

class Limited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("rate limited");
  }
}

export async function submitReport(
  actor: Actor,
  input: {
    organizationId: string;
    machineId: string;
    title: string;
    description?: string;
    reporter: IssueReporter;
    photo: CheckedImage | null;
    /** The client's address for the anonymous limits; null for members (they are accountable). */
    limitedAddress: string | null;
    idempotencyKey: string | null;
    /** Signed-in reporter: part of the key's scope, so keys never cross accounts. */
    userId?: string;
  },
): Promise<ReportOutcome> {
  const { db } = actor;
  const { organizationId, machineId } = input;
  const limits: Array<[string, RateLimitRule]> | null = input.limitedAddress
    ? [
        [`report:ip:${input.limitedAddress}`, RULES.reportPerIp],
        [`report:machine:${machineId}`, RULES.reportPerMachine],
      ]
    : null;
  const claim = input.idempotencyKey
    ? { organizationId, scope: `report:${machineId}${input.userId ? `:${input.userId}` : ""}`, key: input.idempotencyKey }
    : null;
  // Before the photo is written: a repeat of an answered submit gets its answer, and used-up limits refuse.
  const earlier = claim ? await findAnswer<{ location: string }>(db, claim) : null;
  if (earlier) return { ok: true, location: earlier.location };
  const early = limits ? peekLimits(limits) : null;
  if (early && !early.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: early.retryAfterSeconds };
  const stored = input.photo ? await saveImageUpload(input.photo, { organizationId, field: "photo" }) : null;
  try {
    const { result, replayed } = await runOnce(db, claim, async (tx) => {
      // Counted only for the submit that creates the issue, not for its repeats.
      if (limits) {
        const limit = checkLimits(limits);
        if (!limit.allowed) throw new Limited(limit.retryAfterSeconds);
      }
      const created = await reportIssue({ ...actor, db: tx }, {
        machineId,
        title: input.title,
        description: input.description,
        reporter: input.reporter,
        attachments: stored ? [{ url: stored.path, fileName: stored.fileName, fileType: stored.fileType }] : undefined,
      });
      return { location: `/follow/${encodeURIComponent(created.followToken)}?new=1` };
    });
    if (replayed && stored) await deleteStoredUpload(stored.path);
    return { ok: true, location: result.location };
  } catch (error) {
    if (stored) await deleteStoredUpload(stored.path);
    if (error instanceof Limited) return { ok: false, reason: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
    if (isFailure(error) && (error.code === "not_found" || error.code === "conflict")) {
      return { ok: false, reason: error.code === "not_found" ? "machine_not_found" : "not_accepting" };
    }
    throw error;
  }
}
