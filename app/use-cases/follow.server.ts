/**
 * "E-mail me when it's fixed" on a report's follow page (/follow/<token>): the token is the capability (no account).
 * The address is subscribed (IssueSubscriber) to the report, or to the issue it was merged into, and gets the one
 * "closed" message when that issue is first closed (./subscriptions.server.ts); nothing is sent now. Visitors who are
 * not members share the per-address limit of anonymous taps ("me too", ./reports.server.ts) under their own key.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import { findFollowSubscriptionTarget } from "../../db/queries/public.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { RULES, checkLimits } from "../lib/rate-limit.server";
import type { Actor } from "./actor";
import { subscribeVoter } from "./subscriptions.server";

export const followSubscribeInput = z.object({ email: fields.email });

const NOT_FOUND = "We could not find that report. Check the link you were given.";

export async function subscribeFromFollowPage(actor: Actor, followToken: string, email: string): Promise<string> {
  const { db, organizationId } = actor;
  if (!actor.membership) {
    const limit = await checkLimits(db, [[`follow-subscribe:ip:${actor.ipAddress ?? "unknown"}`, RULES.upvotePerIp]]);
    if (!limit.allowed)
      throw new Failure("rate_limited", "Too many requests in a short time. Please wait a few minutes and try again.", {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
  }
  return withTransaction(db, async (tx) => {
    const target = await findFollowSubscriptionTarget(tx, organizationId, followToken);
    if (!target) throw fail.notFound(NOT_FOUND);
    if (target.category === "RESOLVED")
      throw fail.conflict("This problem is already closed: there is nothing to wait for.");
    await subscribeVoter(
      tx,
      { organizationId, organizationName: actor.organization.name },
      target.id,
      email,
      actor.links,
    );
    return "Done. We will e-mail you once when it is fixed. Every message has a link to stop them.";
  });
}
