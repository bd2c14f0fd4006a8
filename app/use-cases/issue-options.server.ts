/**
 * Issue statuses and priorities administration (organization:manage): ordered, per-organization option lists with
 * exactly one default. Both kinds work the same way, described once by `OptionRules` (their table, words and rules):
 *
 * - every write runs in one transaction that first locks the organization's option rows (FOR UPDATE), so two admins
 *   cannot race past the rules (e.g. both deleting the last two options of a kind);
 * - names are unique per organization, case-insensitively; a unique violation from a concurrent insert is answered
 *   like a duplicate name;
 * - "make default" clears the old default before setting the new one (the partial unique index allows at most one
 *   default per organization at any moment);
 * - the display order (`sortOrder`) is renumbered 1…n when an option moves;
 * - deleting an option that issues use needs another option (`targetId`) of the organization: the issues move there,
 *   one SYSTEM IssueHistory row each (field = the kind's noun, old/new = option names, actor = the admin), and the
 *   option is deleted, all in the same transaction. No notifications are sent for this housekeeping move;
 * - every change writes an AuditLog row (`<noun>.created`, `.updated`, `.default_changed`, `.deleted`) in the same
 *   transaction.
 */
import { z } from "zod";
import { fail, type Failure } from "../../core/failure";
import {
  CATEGORY_LABELS,
  ISSUE_LIMITS,
  STATUS_CATEGORIES,
  defaultStatusProblem,
  moveInOrder,
  statusCategoryChangeProblem,
  statusDeletionProblem,
  type StatusCategory,
} from "../../core/issue-rules";
import type { DbOrTx } from "../lib/db.server";
import { isUniqueViolation } from "../../db/pg-errors.server";
import { recordAudit } from "../../db/queries/audit.server";
import {
  clearDefaultOption,
  deleteOptionRow,
  insertOption,
  listOptionsWithUsage,
  lockIssuesUsingOption,
  markDefaultOption,
  moveIssuesToOption,
  optionMaxima,
  recordOptionMoves,
  setOptionSortOrder,
  updateOptionRow,
  type OptionRow,
  type OptionTable,
} from "../../db/queries/ordered-options.server";
import { priorityTable, type PriorityOption } from "../../db/queries/priorities.server";
import { statusTable, type StatusOption } from "../../db/queries/statuses.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { parseInput } from "../lib/forms.server";
import { requireMemberActor, type Actor, type MemberActor } from "./actor";

// ---------------------------------------------------------------------------------------------------------------
// Input

const statusName = z
  .string()
  .trim()
  .min(1, "Give the status a name")
  .max(ISSUE_LIMITS.statusName, `Keep the name under ${ISSUE_LIMITS.statusName} characters`);
const category = z.enum(STATUS_CATEGORIES, { error: "Choose Open, In progress or Closed" });
const priorityName = z
  .string()
  .trim()
  .min(1, "Give the priority a name")
  .max(ISSUE_LIMITS.priorityName, `Keep the name under ${ISSUE_LIMITS.priorityName} characters`);
const rank = z.coerce
  .number({ error: "Enter a whole number" })
  .int("Enter a whole number")
  .min(0, "Use 0 to 1000")
  .max(1000, "Use 0 to 1000");
const direction = z.enum(["up", "down"], { error: "Choose up or down" });

/** The forms of /admin/statuses; the option is named by `statusId`. */
export const statusInput = {
  create: z.object({ name: statusName, category }),
  update: z.object({ statusId: fields.id, name: statusName, category }),
  pick: z.object({ statusId: fields.id }),
  move: z.object({ statusId: fields.id, direction }),
  delete: z.object({ statusId: fields.id, targetId: fields.optionalId }),
};

/** The forms of /admin/priorities; the option is named by `priorityId`. */
export const priorityInput = {
  create: z.object({
    name: priorityName,
    order: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), rank.optional()),
  }),
  update: z.object({ priorityId: fields.id, name: priorityName, order: rank }),
  pick: z.object({ priorityId: fields.id }),
  move: z.object({ priorityId: fields.id, direction }),
  delete: z.object({ priorityId: fields.id, targetId: fields.optionalId }),
};

// ---------------------------------------------------------------------------------------------------------------
// The two kinds

interface OptionRules<Row extends OptionRow> {
  table: OptionTable<Row>;
  /** AuditLog.targetType. */
  targetType: "IssueStatus" | "Priority";
  /** Why `row` cannot become the default, or null. */
  defaultProblem?(row: Row): string | null;
  /** The success message of "make default". */
  defaultMessage(row: Row): string;
  /** Why `row` cannot be deleted (the default, the last one of its kind…), or null. */
  deletionProblem(all: readonly Row[], row: Row): string | null;
  /** The deleted option in the success message: `priority “Low”`, `Closed status “Fixed”`. */
  describe(row: Row): string;
  /** Domain columns the deletion's audit row keeps besides the name. */
  auditDetails(row: Row): Record<string, unknown>;
}

const categoryLabel = (c: string) => CATEGORY_LABELS[c as StatusCategory] ?? c;

const statusRules: OptionRules<StatusOption> = {
  table: statusTable,
  targetType: "IssueStatus",
  defaultProblem: defaultStatusProblem,
  defaultMessage: (row) => `New issues now start as “${row.name}”.`,
  deletionProblem: (all, row) => statusDeletionProblem(all, row.id),
  describe: (row) => `${categoryLabel(row.category)} status “${row.name}”`,
  auditDetails: (row) => ({ category: row.category }),
};

const priorityRules: OptionRules<PriorityOption> = {
  table: priorityTable,
  targetType: "Priority",
  defaultMessage: (row) => `New issues now get priority “${row.name}”.`,
  // Never the default, never the last one.
  deletionProblem: (all, row) => {
    if (row.isDefault) return "This is the default priority for new issues. Choose another default first.";
    if (all.length <= 1) return "Keep at least one priority.";
    return null;
  },
  describe: (row) => `priority “${row.name}”`,
  auditDetails: () => ({}),
};

export type OptionKindName = "status" | "priority";

function rulesOf(kind: OptionKindName): OptionRules<OptionRow> {
  return kind === "status" ? statusRules : priorityRules;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared mechanics

const capitalized = (noun: string) => noun.charAt(0).toUpperCase() + noun.slice(1);
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const notFound = (noun: string) => fail.notFound(`That ${noun} does not exist.`);
const duplicateName = (noun: string) => fail.invalid(`A ${noun} with that name already exists.`, "name");

function admin(actor: Actor): MemberActor {
  requireMemberActor(actor, "organization:manage");
  return actor;
}

/** A write that inserts or renames: a unique violation (a concurrent request took the name) reads as a duplicate. */
async function namesGuarded<T>(noun: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(noun);
    throw error;
  }
}

/** One transaction with the organization's options of this kind locked; `work` gets them in display order. */
function withLockedOptions<Row extends OptionRow, T>(
  actor: MemberActor,
  rules: OptionRules<Row>,
  work: (tx: DbOrTx, all: Row[]) => Promise<T>,
): Promise<T> {
  return withTransaction(actor.db, async (tx) => work(tx, await rules.table.lock(tx, actor.organizationId)));
}

function audit<Row extends OptionRow>(
  tx: DbOrTx,
  actor: MemberActor,
  rules: OptionRules<Row>,
  event: "created" | "updated" | "default_changed" | "deleted",
  targetId: string,
  meta: Record<string, unknown>,
) {
  return recordAudit(tx, {
    organizationId: actor.organizationId,
    actorId: actor.user.id,
    action: `${rules.table.noun}.${event}`,
    targetType: rules.targetType,
    targetId,
    meta,
  });
}

function found<Row extends OptionRow>(rules: OptionRules<Row>, all: readonly Row[], id: string): Row {
  const row = all.find((o) => o.id === id);
  if (!row) throw notFound(rules.table.noun);
  return row;
}

/**
 * Adds an option at the end of the display order, never as the default; `values` are the kind's own columns (given
 * the highest rank when the kind has ranks).
 */
async function createOption<Row extends OptionRow>(
  actor: MemberActor,
  rules: OptionRules<Row>,
  name: string,
  how: { values: (highestRank: number | null) => Record<string, unknown>; meta: Record<string, unknown> },
): Promise<string> {
  const { noun } = rules.table;
  return namesGuarded(noun, () =>
    withLockedOptions(actor, rules, async (tx, all) => {
      if (all.some((o) => sameName(o.name, name))) throw duplicateName(noun);
      const { topSort, highestRank } = await optionMaxima(tx, rules.table, actor.organizationId);
      const id = await insertOption(tx, rules.table, actor.organizationId, {
        name,
        sortOrder: (topSort ?? 0) + 1,
        values: how.values(highestRank),
      });
      await audit(tx, actor, rules, "created", id, how.meta);
      return `${capitalized(noun)} “${name}” added.`;
    }),
  );
}

/**
 * Renames an option and sets the kind's own columns (`values`). `problem` is the kind's rule about that change,
 * checked after the name; the audit row keeps the changed columns before and after.
 */
async function updateOption<Row extends OptionRow, Values extends Partial<Row>>(
  actor: MemberActor,
  rules: OptionRules<Row>,
  input: { id: string; name: string },
  change: { values: Values; problem?: (all: readonly Row[], row: Row) => Failure | null },
): Promise<string> {
  const { noun } = rules.table;
  return namesGuarded(noun, () =>
    withLockedOptions(actor, rules, async (tx, all) => {
      const row = found(rules, all, input.id);
      if (all.some((o) => o.id !== row.id && sameName(o.name, input.name))) throw duplicateName(noun);
      const problem = change.problem?.(all, row);
      if (problem) throw problem;
      const keys = Object.keys(change.values) as (keyof Values & keyof Row)[];
      if (row.name === input.name && keys.every((k) => (row[k] as unknown) === change.values[k]))
        return "Nothing changed.";
      await updateOptionRow(tx, rules.table, actor.organizationId, row.id, { name: input.name, ...change.values });
      const before = Object.fromEntries(keys.map((k) => [k, row[k]]));
      await audit(tx, actor, rules, "updated", row.id, {
        from: { name: row.name, ...before },
        to: { name: input.name, ...change.values },
      });
      return `${capitalized(noun)} “${input.name}” saved.`;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Page reads

export async function loadStatusAdmin(actor: Actor) {
  admin(actor);
  return listOptionsWithUsage(actor.db, statusTable, actor.organizationId);
}

export async function loadPriorityAdmin(actor: Actor) {
  admin(actor);
  return listOptionsWithUsage(actor.db, priorityTable, actor.organizationId);
}

// ---------------------------------------------------------------------------------------------------------------
// Writes (each returns the sentence the page shows)

export async function createStatus(actor: Actor, input: z.infer<typeof statusInput.create>): Promise<string> {
  return createOption(admin(actor), statusRules, input.name, {
    values: () => ({ category: input.category }),
    meta: { name: input.name, category: input.category },
  });
}

/** Renames and/or re-categorises a status (the default stays Open; no category may become empty). */
export async function updateStatus(actor: Actor, input: z.infer<typeof statusInput.update>): Promise<string> {
  return updateOption(
    admin(actor),
    statusRules,
    { id: input.statusId, name: input.name },
    {
      values: { category: input.category },
      problem: (all, row) => {
        const message = statusCategoryChangeProblem(all, row.id, input.category);
        return message ? fail.invalid(message, "category") : null;
      },
    },
  );
}

/** Adds a priority; without a severity rank it ranks above the most severe one. */
export async function createPriority(actor: Actor, input: z.infer<typeof priorityInput.create>): Promise<string> {
  return createOption(admin(actor), priorityRules, input.name, {
    values: (topOrder) => ({ order: input.order ?? (topOrder ?? 0) + 1 }),
    meta: { name: input.name },
  });
}

export async function updatePriority(actor: Actor, input: z.infer<typeof priorityInput.update>): Promise<string> {
  return updateOption(
    admin(actor),
    priorityRules,
    { id: input.priorityId, name: input.name },
    { values: { order: input.order } },
  );
}

/** Makes one option the default for new issues; the previous default is cleared in the same transaction. */
export async function setDefaultOption(actor: Actor, kind: OptionKindName, id: string): Promise<string> {
  const rules = rulesOf(kind);
  const member = admin(actor);
  return withLockedOptions(member, rules, async (tx, all) => {
    const row = found(rules, all, id);
    const problem = rules.defaultProblem?.(row);
    if (problem) throw fail.invalid(problem);
    if (row.isDefault) return `“${row.name}” is already the default.`;
    // Clear first: the partial unique index allows at most one default per organization at any moment.
    await clearDefaultOption(tx, rules.table, actor.organizationId);
    await markDefaultOption(tx, rules.table, actor.organizationId, row.id);
    await audit(tx, member, rules, "default_changed", row.id, { name: row.name });
    return rules.defaultMessage(row);
  });
}

/** Moves an option one place up or down in the display order (the order is renumbered 1…n). */
export async function moveOption(actor: Actor, kind: OptionKindName, id: string, to: "up" | "down"): Promise<string> {
  const rules = rulesOf(kind);
  return withLockedOptions(admin(actor), rules, async (tx, all) => {
    found(rules, all, id);
    const order = moveInOrder(
      all.map((o) => o.id),
      id,
      to,
    );
    const before = new Map(all.map((o) => [o.id, o.sortOrder]));
    for (const [i, optionId] of order.entries()) {
      if (before.get(optionId) !== i + 1)
        await setOptionSortOrder(tx, rules.table, actor.organizationId, optionId, i + 1);
    }
    return "Order saved.";
  });
}

/**
 * Deletes an option unless the kind refuses. When issues use it, `targetId` (another option of the organization) is
 * required: the issues move there and the option is deleted in the same transaction.
 */
export async function deleteOption(
  actor: Actor,
  kind: OptionKindName,
  id: string,
  targetId: string | undefined,
  now = new Date(),
): Promise<string> {
  const rules = rulesOf(kind);
  const member = admin(actor);
  const { noun } = rules.table;
  const { organizationId } = actor;
  return withLockedOptions(member, rules, async (tx, all) => {
    const row = found(rules, all, id);
    const problem = rules.deletionProblem(all, row);
    if (problem) throw fail.invalid(problem);
    const using = await lockIssuesUsingOption(tx, rules.table, organizationId, row.id);
    const n = using.length;
    if (n > 0) {
      if (!targetId) {
        throw fail.invalid(
          `${n} ${n === 1 ? "issue uses" : "issues use"} “${row.name}”. Choose a ${noun} to move ${n === 1 ? "it" : "them"} to.`,
          "targetId",
        );
      }
      const target = all.find((o) => o.id === targetId);
      if (!target || target.id === row.id)
        throw fail.invalid(`Choose another ${noun} of this organization.`, "targetId");
      await moveIssuesToOption(tx, rules.table, organizationId, using, target, now);
      await recordOptionMoves(tx, rules.table, {
        organizationId,
        actorId: member.user.id,
        issueIds: using,
        from: row.name,
        to: target.name,
        now,
      });
    }
    await deleteOptionRow(tx, rules.table, organizationId, row.id);
    await audit(tx, member, rules, "deleted", row.id, {
      name: row.name,
      ...rules.auditDetails(row),
      movedIssues: n,
      movedTo: targetId ?? null,
    });
    return n
      ? `Deleted ${rules.describe(row)}; ${n} ${n === 1 ? "issue was" : "issues were"} moved.`
      : `Deleted ${rules.describe(row)}.`;
  });
}

/**
 * One form of the statuses or priorities admin page, chosen by `intent`. Both pages have the same five forms and
 * differ only in their schemas and in the field that names the option (`statusId` / `priorityId`). Returns the
 * success message; refusals are Failures.
 */
export async function runOptionAdminForm(
  actor: Actor,
  kind: OptionKindName,
  intent: string,
  form: Record<string, unknown>,
): Promise<string> {
  const isStatus = kind === "status";
  const input = isStatus ? statusInput : priorityInput;
  const idOf = (data: { statusId?: string; priorityId?: string }) => (isStatus ? data.statusId : data.priorityId) ?? "";
  switch (intent) {
    case "create":
      return isStatus
        ? createStatus(actor, parseInput(statusInput.create, form))
        : createPriority(actor, parseInput(priorityInput.create, form));
    case "update":
      return isStatus
        ? updateStatus(actor, parseInput(statusInput.update, form))
        : updatePriority(actor, parseInput(priorityInput.update, form));
    case "default":
      return setDefaultOption(actor, kind, idOf(parseInput(input.pick, form)));
    case "move": {
      const data = parseInput(input.move, form);
      return moveOption(actor, kind, idOf(data), data.direction);
    }
    case "delete": {
      const data = parseInput(input.delete, form);
      return deleteOption(actor, kind, idOf(data), data.targetId);
    }
    default:
      throw fail.invalid("Unknown action.");
  }
}
