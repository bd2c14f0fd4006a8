/**
 * Watching: a member follows an issue or a machine and gets its notifications (in-app, and e-mail per their own
 * settings) through the same writer as everyone else (./notification-mail.server.ts notifyIssue). Only members of the
 * organization watch, only its own issues and machines; membership is checked again whenever a notification is
 * written, so leaving the organization ends it.
 */
import { z } from "zod";
import { fail } from "../../core/failure";
import { getIssueDetail } from "../../db/queries/issues.server";
import { machineExists } from "../../db/queries/machines.server";
import { deleteWatch, insertWatch, isWatching, type WatchTarget } from "../../db/queries/watches.server";
import { requireMemberActor, type Actor } from "./actor";

export const watchInput = z.object({
  watch: z.enum(["on", "off"], { error: "Use the Watch button." }),
});

async function requireTarget(actor: Actor, target: WatchTarget): Promise<void> {
  const found =
    "issueId" in target
      ? Boolean(await getIssueDetail(actor.db, actor.organizationId, target.issueId))
      : await machineExists(actor.db, actor.organizationId, target.machineId);
  if (!found)
    throw fail.notFound("issueId" in target ? "We could not find that issue." : "We could not find that machine.");
}

/** Starts or stops watching; answers the message for the page. */
export async function setWatch(actor: Actor, target: WatchTarget, input: z.infer<typeof watchInput>): Promise<string> {
  requireMemberActor(actor, "issueId" in target ? "issue:view" : "machine:view");
  await requireTarget(actor, target);
  const what = "issueId" in target ? "issue" : "machine";
  if (input.watch === "on") {
    await insertWatch(actor.db, actor.organizationId, actor.user.id, target);
    return `You are watching this ${what}: you will be notified of its changes.`;
  }
  await deleteWatch(actor.db, actor.organizationId, actor.user.id, target);
  return `You no longer watch this ${what}.`;
}

/** Whether the actor watches it (false for visitors, who cannot watch). */
export async function watchState(actor: Actor, target: WatchTarget): Promise<{ canWatch: boolean; watching: boolean }> {
  if (!actor.user || !actor.membership) return { canWatch: false, watching: false };
  return { canWatch: true, watching: await isWatching(actor.db, actor.organizationId, actor.user.id, target) };
}
