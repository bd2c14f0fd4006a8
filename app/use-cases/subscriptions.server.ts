/**
 * Telling people outside the organization about an issue by e-mail: the anonymous reporter who left an address gets
 * a receipt with the follow link, and the reporter and "me too" voters who left an address get exactly one message
 * when the issue is first closed (its status enters the RESOLVED category, core/issue-rules.ts). Reopening and
 * closing again sends nothing more: the "closed" message's dedupeKey is `issue-closed:<subscriber id>`, one per
 * subscription, ever. Every message carries a one-click unsubscribe link (/unsubscribe/<token>, RFC 8058).
 * Addresses are never shown on public pages; admins see these organization messages on /admin/outbox.
 */
import { fail } from "../../core/failure";
import { listUnsubscribeHeaders } from "../../core/mail/headers";
import { issueClosedMail, meTooReceiptMail, reportReceiptMail } from "../../core/mail/issues";
import { queueMail } from "../../db/queries/outbox.server";
import {
  activeSubscribers,
  findIssueMailFacts,
  findSubscriptionByToken,
  subscribeToIssue,
  unsubscribe,
} from "../../db/queries/subscribers.server";
import type { DbOrTx } from "../lib/db.server";
import type { LinkTo } from "../lib/tenant.server";
import type { Actor } from "./actor";

export const SUBSCRIPTION_MAIL_KINDS = {
  receipt: "report_receipt",
  voter: "me_too_receipt",
  closed: "issue_closed",
} as const;

const unsubscribePath = (token: string) => `/unsubscribe/${token}`;
const followPath = (token: string) => `/follow/${encodeURIComponent(token)}`;

/** An organization as the messages name it. */
interface Org {
  organizationId: string;
  organizationName: string;
}

/** Subscribes the anonymous reporter's address and queues the receipt, in the report's transaction. */
export async function subscribeReporter(
  tx: DbOrTx,
  org: Org,
  issueId: string,
  email: string,
  links: LinkTo,
): Promise<void> {
  const issue = await findIssueMailFacts(tx, org.organizationId, issueId);
  if (!issue) throw new Error("subscribeReporter: the issue was just created");
  const sub = await subscribeToIssue(tx, { organizationId: org.organizationId, issueId, email });
  const unsubscribeUrl = links(unsubscribePath(sub.token));
  await queueMail(tx, {
    kind: SUBSCRIPTION_MAIL_KINDS.receipt,
    organizationId: org.organizationId,
    to: sub.email,
    dedupeKey: `report-receipt:${issueId}`,
    headers: listUnsubscribeHeaders(unsubscribeUrl),
    ...reportReceiptMail({
      organizationName: org.organizationName,
      machineName: issue.machineName,
      issueTitle: issue.title,
      followUrl: links(followPath(issue.followToken)),
      unsubscribeUrl,
    }),
  });
}

/**
 * A "me too" voter's address: told when the issue is closed. One short message now says so and carries the
 * one-click unsubscribe link, so the voter can stop it before that (at most one per subscription, ever).
 */
export async function subscribeVoter(tx: DbOrTx, org: Org, issueId: string, email: string, links: LinkTo) {
  const issue = await findIssueMailFacts(tx, org.organizationId, issueId);
  if (!issue) throw new Error("subscribeVoter: the issue was just voted on");
  const sub = await subscribeToIssue(tx, { organizationId: org.organizationId, issueId, email });
  const unsubscribeUrl = links(unsubscribePath(sub.token));
  await queueMail(tx, {
    kind: SUBSCRIPTION_MAIL_KINDS.voter,
    organizationId: org.organizationId,
    to: sub.email,
    dedupeKey: `me-too:${sub.id}`,
    headers: listUnsubscribeHeaders(unsubscribeUrl),
    ...meTooReceiptMail({
      organizationName: org.organizationName,
      machineName: issue.machineName,
      issueTitle: issue.title,
      unsubscribeUrl,
    }),
  });
}

/**
 * Queues the "closed" message for every active subscriber, in the transaction that closed the issue. Only the
 * reporter gets the follow link (it is their report's capability).
 */
export async function queueClosedMails(
  tx: DbOrTx,
  org: Org,
  issueId: string,
  statusName: string,
  links: LinkTo,
): Promise<void> {
  const subscribers = await activeSubscribers(tx, org.organizationId, issueId);
  if (subscribers.length === 0) return;
  const issue = await findIssueMailFacts(tx, org.organizationId, issueId);
  if (!issue) return;
  for (const sub of subscribers) {
    const unsubscribeUrl = links(unsubscribePath(sub.token));
    await queueMail(tx, {
      kind: SUBSCRIPTION_MAIL_KINDS.closed,
      organizationId: org.organizationId,
      to: sub.email,
      dedupeKey: `issue-closed:${sub.id}`,
      headers: listUnsubscribeHeaders(unsubscribeUrl),
      ...issueClosedMail({
        organizationName: org.organizationName,
        machineName: issue.machineName,
        issueTitle: issue.title,
        statusName,
        followUrl: sub.email === issue.reporterEmail ? links(followPath(issue.followToken)) : null,
        unsubscribeUrl,
      }),
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// /unsubscribe/<token>

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const UNSUBSCRIBE_MISSING = "We could not find that subscription. Check that you copied the whole link.";

async function subscriptionOf(actor: Actor, token: string) {
  if (!TOKEN_SHAPE.test(token)) throw fail.notFound(UNSUBSCRIBE_MISSING);
  const sub = await findSubscriptionByToken(actor.db, actor.organizationId, token);
  if (!sub) throw fail.notFound(UNSUBSCRIBE_MISSING);
  return sub;
}

/** What the confirm page shows: the problem's title and whether messages are already off (never the address). */
export async function loadUnsubscribePage(actor: Actor, token: string) {
  const sub = await subscriptionOf(actor, token);
  return {
    issueTitle: sub.issueTitle,
    organizationName: sub.organizationName,
    unsubscribed: sub.unsubscribedAt !== null,
  };
}

/** Turns the subscription off; the link's token is the capability (no account needed). Repeating is harmless. */
export async function unsubscribeByToken(actor: Actor, token: string): Promise<void> {
  const sub = await subscriptionOf(actor, token);
  await unsubscribe(actor.db, actor.organizationId, sub.id, new Date());
}
