/**
 * The QR landing page (/m/<machineId>): what a player sees (the machine, its status, known problems), the public
 * report and the "me too" vote. No account needed, so the abuse controls live here too: a honeypot field, per-address
 * and per-machine report limits for visitors who are not members (counted only for the submit that creates the issue,
 * never for its repeats), the idempotency key against double submits, the photo checked by content and removed again
 * when nothing was stored, and anonymous votes capped per address (app/lib/voter.server.ts).
 */
import { z } from "zod";
import { Failure, fail, isFailure } from "../../core/failure";
import { NOT_ON_FLOOR_MESSAGE, isOnFloor } from "../../core/machine-presence";
import { deriveMachineStatus } from "../../core/machine-status";
import { getMachinePresence } from "../../db/queries/machine-presence.server";
import { findSimilarOpenIssues, getPublicMachinePage } from "../../db/queries/public.server";
import {
  CONFIRM_NEW_VALUE,
  DUPLICATE_MAX_MATCHES,
  DUPLICATE_TEXT_THRESHOLD,
  DUPLICATE_TITLE_THRESHOLD,
  SIMILAR_QUERY_MIN_LENGTH,
} from "../../core/duplicate-guard";
import { CATEGORY_LABELS } from "../../core/issue-rules";
import {
  countVotesFromAddress,
  findOpenIssueForVote,
  hasVoted,
  insertUpvote,
  listVotedIssueIds,
  type Voter,
} from "../../db/queries/upvotes.server";
import { withTransaction } from "../../db/transaction.server";
import { subscribeReporter, subscribeVoter } from "./subscriptions.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { STALE_FORM_MESSAGE, readIdempotencyKey } from "../lib/idempotency.server";
import { RULES, checkLimits, peekLimits, type RateLimitRule } from "../lib/rate-limit.server";
import {
  UploadError,
  checkImageUpload,
  deleteStoredUpload,
  storeImageUpload,
  type CheckedImage,
} from "../lib/uploads.server";
import { ANONYMOUS_VOTES_PER_ADDRESS, ANONYMOUS_VOTE_WINDOW_MS, voterAddressHash } from "../lib/voter.server";
import { requireCan, type Actor } from "./actor";
import { reportIssue } from "./issues.server";
import { earlierAnswer, runOnce } from "./run-once.server";

const NOT_FOUND = "We could not find that machine.";

/** The client's address as the limits count it (the same fallback as app/lib/context.server.ts clientIp). */
function addressOf(actor: Actor): string {
  return actor.ipAddress ?? "unknown";
}

// ---------------------------------------------------------------------------------------------------------------
// The page

/** The public machine page; `browserVoterKey` is the anonymous voter cookie's key (app/lib/voter.server.ts), if any. */
export async function loadPublicMachinePage(
  actor: Actor,
  machineId: string,
  browserVoterKey: string | null,
  now = new Date(),
) {
  requireCan(actor, "machine:view");
  const { db, organizationId, user } = actor;
  const page = await getPublicMachinePage(db, organizationId, machineId, { now });
  if (!page) throw fail.notFound(NOT_FOUND);
  // Off the floor (in the workshop, on loan, …): no report form and no "me too" (requireReportableMachine refuses them).
  const onFloor = isOnFloor(page.machine.presence);
  const canViewIssues = actor.can("issue:view");
  const openIssues = canViewIssues ? page.openIssues : [];
  const voter: Voter | null = user ? { userId: user.id } : browserVoterKey ? { voterKey: browserVoterKey } : null;
  const voted = new Set(
    await listVotedIssueIds(
      db,
      organizationId,
      openIssues.map((i) => i.id),
      voter,
    ),
  );
  const status = deriveMachineStatus({
    openIssueCount: page.openIssues.length,
    maxOpenPriorityOrder: page.openIssues.reduce<number | null>(
      (max, i) => (max == null || i.priorityOrder > max ? i.priorityOrder : max),
      null,
    ),
    topPriorityOrder: page.topPriorityOrder,
  });
  return {
    machine: page.machine,
    status,
    canViewIssues,
    openIssues: openIssues.map((i) => ({
      id: i.id,
      title: i.title,
      category: i.category,
      statusName: i.statusName,
      age: dateFormatterFor(actor.organization).relative(i.createdAt, now),
      reportedOn: i.createdAt.toISOString().slice(0, 10),
      upvoteCount: i.upvoteCount,
      voted: voted.has(i.id),
      critical: page.topPriorityOrder != null && i.priorityOrder >= page.topPriorityOrder,
    })),
    recentlyFixed: canViewIssues
      ? page.recentlyFixed.map((i) => ({
          id: i.id,
          title: i.title,
          age: i.resolvedAt ? dateFormatterFor(actor.organization).relative(i.resolvedAt, now) : "",
        }))
      : [],
    onFloor,
    notOnFloorMessage: onFloor ? null : NOT_ON_FLOOR_MESSAGE,
    canReport: onFloor && actor.can("issue:create"),
    canAttach: actor.can("attachment:create"),
    signedInAs: user ? (user.name ?? "you") : null,
    isMember: Boolean(actor.membership),
  };
}

/**
 * Throws unless the machine takes reports from the actor (checked before the body is read): not_found when it is not
 * in the organization, conflict (409) while it is not on the floor.
 */
export async function requireReportableMachine(actor: Actor, machineId: string): Promise<void> {
  requireCan(actor, "issue:create");
  const presence = await getMachinePresence(actor.db, actor.organizationId, machineId);
  if (presence === null) throw fail.notFound(NOT_FOUND);
  if (!isOnFloor(presence)) throw fail.conflict(NOT_ON_FLOOR_MESSAGE);
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting a problem

/** A form value as text: a file or a repeated field where text belongs counts as empty. */
const text = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (typeof v === "string" ? v : ""), schema);

const optionalText = (max: number, message: string) =>
  text(
    z
      .string()
      .trim()
      .max(max, message)
      .transform((v) => v || undefined),
  );

const reportText = z.object({
  title: text(fields.title),
  description: optionalText(2000, "Keep the details under 2,000 characters"),
  name: optionalText(100, "Keep your name under 100 characters"),
  email: text(fields.optionalEmail),
});

export interface PublicReport {
  title: string;
  description?: string;
  /** Only for visitors without an account (never shown publicly). */
  name?: string;
  email?: string;
  photo: CheckedImage | null;
  /** The form's idempotency key; null for a form without one (still works, without de-duplication). */
  idempotencyKey: string | null;
  /** "No, it's something new": file it although it resembles known issues (the duplicate guard was answered). */
  confirmNew: boolean;
}

/**
 * People never see the form's `website` field; bots fill every field. A filled one is answered like a success and
 * stores nothing (logged, so a flood shows up).
 */
export function honeypotTripped(actor: Actor, machineId: string, form: Record<string, unknown>): boolean {
  const tripped = typeof form.website === "string" && form.website.trim() !== "";
  if (tripped) console.warn(`[report] honeypot tripped on machine ${machineId} from ${addressOf(actor)}`);
  return tripped;
}

/**
 * Validates the report form: the text fields (a signed-in reporter's name and email are not asked for and are
 * ignored), the photo by its content, then the idempotency key. Every field problem is reported at once.
 * `oversized` names file fields whose file was over the limit (app/lib/uploads.server.ts readUploadForm).
 */
export async function parsePublicReport(
  actor: Actor,
  form: Record<string, unknown>,
  oversized: ReadonlySet<string>,
): Promise<PublicReport> {
  const signedIn = Boolean(actor.user);
  const parsed = reportText.safeParse(signedIn ? { ...form, name: undefined, email: undefined } : form);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      if (!Object.hasOwn(errors, key)) errors[key] = issue.message;
    }
  }
  let photo: CheckedImage | null = null;
  const file = form.photo;
  if (oversized.has("photo")) {
    errors.photo = "The photo is too large: at most 5 MB.";
  } else if (file instanceof File && file.size > 0) {
    if (!actor.can("attachment:create")) errors.photo = "Photos cannot be added here.";
    else {
      try {
        photo = await checkImageUpload(file, { field: "photo" });
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        errors.photo = error.message;
      }
    }
  }
  if (!parsed.success || Object.keys(errors).length) {
    const summary = "Please check the highlighted fields.";
    throw new Failure("invalid", summary, { fields: { ...errors, form: summary } });
  }
  const key = readIdempotencyKey(form.idempotencyKey);
  if (!key.ok) throw fail.invalid(STALE_FORM_MESSAGE);
  const { title, description, name, email } = parsed.data;
  return {
    title,
    description,
    name: signedIn ? undefined : name,
    email: signedIn ? undefined : email,
    photo,
    idempotencyKey: key.key,
    confirmNew: form.confirmNew === CONFIRM_NEW_VALUE,
  };
}

function reportsRateLimited(retryAfterSeconds: number): Failure {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new Failure(
    "rate_limited",
    `We have received many reports from here recently. Please wait ${minutes <= 1 ? "a minute" : `${minutes} minutes`} and try again, or tap "Me too" on a listed problem.`,
    { retryAfterSeconds },
  );
}

/** reportIssue's refusals in words for a player at the machine. */
function publicFailure(error: Failure): Failure {
  if (error.code === "not_found") return fail.notFound(NOT_FOUND);
  // No statuses or priorities yet: nothing the reporter can fix.
  if (error.code === "conflict")
    return fail.conflict("Reports cannot be taken for this organization right now. Please tell the staff.");
  return error;
}

/** What a report from the machine page led to: filed (the follow page's path), or "is it one of these?". */
export type ReportOutcome = { filed: string } | { similar: SimilarProblem[] };

/**
 * Stores a report from the machine page and returns the path of its follow page. The photo file is written first
 * and removed again when no issue was stored (refused, failed, or a repeat of an earlier submit); the issue, its
 * history, the photo's row and the owner's notification are written in one transaction with the key's claim.
 * The duplicate guard: unless `report.confirmNew`, a report resembling open issues of the machine is not stored and
 * answers those issues instead. It runs after the key's earlier answer (a repeat of a filed report still leads to
 * its follow page) and the limits' peek, and before the key is claimed, so "No, it's something new" can resubmit the
 * same key; nothing is counted or written for it.
 */
export async function reportProblem(
  actor: Actor,
  machineId: string,
  report: PublicReport,
): Promise<ReportOutcome> {
  requireCan(actor, "issue:create");
  const { db, organizationId, user } = actor;
  // Members are accountable; the limits guard the anonymous front door.
  const limits: Array<[string, RateLimitRule]> | null = actor.membership
    ? null
    : [
        [`report:ip:${addressOf(actor)}`, RULES.reportPerIp],
        [`report:machine:${machineId}`, RULES.reportPerMachine],
      ];
  // The key's scope includes the signed-in reporter, so keys never cross accounts.
  const claim = report.idempotencyKey
    ? { organizationId, scope: `report:${machineId}${user ? `:${user.id}` : ""}`, key: report.idempotencyKey }
    : null;
  // Before the photo is written: a repeat of an answered submit gets its answer, and used-up limits refuse.
  const earlier = await earlierAnswer<{ location: string }>(db, claim);
  if (earlier) return { filed: earlier.location };
  const early = limits ? await peekLimits(db, limits) : null;
  if (early && !early.allowed) throw reportsRateLimited(early.retryAfterSeconds);
  if (!report.confirmNew) {
    const similar = await findSimilarProblems(actor, machineId, report);
    if (similar.length) return { similar };
  }

  // Re-encoded only now, after the cheap refusals: a photo that cannot be decoded is a Failure on its field (400).
  const stored = report.photo ? await storeImageUpload(report.photo, { organizationId, field: "photo" }) : null;
  try {
    const { result, replayed } = await runOnce(db, claim, async (tx) => {
      // Counted only for the submit that creates the issue, not for its repeats, and inside its transaction: the
      // repeats wait on the claimed key while holding pooled connections.
      if (limits) {
        const limit = await checkLimits(db, limits, Date.now(), tx);
        if (!limit.allowed) throw reportsRateLimited(limit.retryAfterSeconds);
      }
      const created = await reportIssue(
        { ...actor, db: tx },
        {
          machineId,
          title: report.title,
          description: report.description,
          reporter: user ? { userId: user.id } : { name: report.name, email: report.email },
          attachments: stored
            ? [
                {
                  url: stored.path,
                  thumbnailUrl: stored.thumbnailPath,
                  fileName: stored.fileName,
                  fileType: stored.fileType,
                },
              ]
            : undefined,
        },
      );
      // An anonymous reporter who left an address gets a receipt, and one message when the issue is closed.
      if (!user && report.email) {
        const org = { organizationId, organizationName: actor.organization.name };
        await subscribeReporter(tx, org, created.id, report.email.trim().toLowerCase(), actor.links);
      }
      return { location: `/follow/${encodeURIComponent(created.followToken)}?new=1` };
    });
    if (replayed && stored) await deleteStoredUpload(stored.path, stored.thumbnailPath);
    return { filed: result.location };
  } catch (error) {
    if (stored) await deleteStoredUpload(stored.path, stored.thumbnailPath);
    if (isFailure(error)) throw publicFailure(error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// "Is it one of these?"

/** An open issue of the machine that resembles a report: what the public page shows of it. */
export interface SimilarProblem {
  id: string;
  title: string;
  /** The status in plain words ("New", "In progress (Waiting for parts)"). */
  status: string;
  upvoteCount: number;
}

/**
 * Open issues of the machine that resemble the report (core/duplicate-guard.ts), for the report form's guard and
 * for the matches shown while typing (/m/<id>/similar). None for visitors who may not see the machine's issues.
 */
export async function findSimilarProblems(
  actor: Actor,
  machineId: string,
  report: { title: string; description?: string },
): Promise<SimilarProblem[]> {
  requireCan(actor, "machine:view");
  if (!actor.can("issue:view")) return [];
  const title = report.title.trim().slice(0, 255);
  if (title.length < SIMILAR_QUERY_MIN_LENGTH) return [];
  const rows = await findSimilarOpenIssues(
    actor.db,
    actor.organizationId,
    machineId,
    { title, description: report.description?.trim().slice(0, 2000) },
    {
      titleThreshold: DUPLICATE_TITLE_THRESHOLD,
      textThreshold: DUPLICATE_TEXT_THRESHOLD,
      limit: DUPLICATE_MAX_MATCHES,
    },
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status:
      r.category === "IN_PROGRESS" && r.statusName !== "In Progress"
        ? `${CATEGORY_LABELS[r.category]} (${r.statusName})`
        : CATEGORY_LABELS[r.category],
    upvoteCount: r.upvoteCount,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// "Me too"

const CHOOSE_PROBLEM = "Choose a problem from the list.";

export const meTooInput = z.object({
  issueId: z.string({ error: CHOOSE_PROBLEM }).trim().min(1, CHOOSE_PROBLEM).max(64, CHOOSE_PROBLEM),
  /** Optional: the voter is told at this address when the problem is fixed. */
  email: text(fields.optionalEmail),
});

/** added; already (this voter backs it); address_cap (enough anonymous votes from this address today). */
export type MeTooOutcome = "added" | "already" | "address_cap";

/**
 * Backs an open issue of this machine: once per signed-in user, once per anonymous browser (its voter key, which the
 * caller has made sure of), and at most ANONYMOUS_VOTES_PER_ADDRESS anonymous votes per issue and address per day.
 * An address left with the vote is told when the issue is closed (also when the vote itself was already counted;
 * not when the address's votes are used up).
 */
export async function addMeToo(
  actor: Actor,
  machineId: string,
  issueId: string,
  browserVoterKey: string | null,
  opts: { email?: string | null; now?: Date } = {},
): Promise<MeTooOutcome> {
  const now = opts.now ?? new Date();
  const email = opts.email?.trim().toLowerCase() || null;
  requireCan(actor, "issue:create");
  const { db, organizationId, user } = actor;
  if (!actor.membership) {
    const limit = await checkLimits(db, [[`upvote:ip:${addressOf(actor)}`, RULES.upvotePerIp]]);
    if (!limit.allowed) {
      throw new Failure("rate_limited", "Too many taps in a short time. Please wait a few minutes and try again.", {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
    }
  }
  if (!user && !browserVoterKey) throw new Error("addMeToo: an anonymous vote needs the browser's voter key");
  const voter: Voter = user
    ? { userId: user.id }
    : { voterKey: browserVoterKey!, addressHash: voterAddressHash(addressOf(actor)) };
  const addressHash = "voterKey" in voter ? voter.addressHash : undefined;
  return withTransaction(db, async (tx) => {
    // An anonymous vote locks the issue row while it is counted against its address's cap, so concurrent votes
    // from one address cannot all see room under the cap.
    const open = await findOpenIssueForVote(tx, organizationId, issueId, { machineId, lock: Boolean(addressHash) });
    if (!open) throw fail.notFound("That problem was fixed or is no longer listed.");
    const subscribe = async () => {
      if (email)
        await subscribeVoter(
          tx,
          { organizationId, organizationName: actor.organization.name },
          issueId,
          email,
          actor.links,
        );
    };
    if (addressHash) {
      if (await hasVoted(tx, organizationId, issueId, voter)) {
        await subscribe();
        return "already";
      }
      const since = new Date(now.getTime() - ANONYMOUS_VOTE_WINDOW_MS);
      if ((await countVotesFromAddress(tx, organizationId, issueId, addressHash, since)) >= ANONYMOUS_VOTES_PER_ADDRESS)
        return "address_cap";
    }
    const added = await insertUpvote(tx, issueId, voter, now);
    await subscribe();
    return added ? "added" : "already";
  });
}
