/**
 * Who is told by e-mail when an issue is closed (IssueSubscriber): the anonymous reporter's address and the
 * addresses "me too" voters left. Every helper takes `organizationId` and puts it in the WHERE. Addresses leave this
 * module only towards the outbox (app/use-cases/subscriptions.server.ts), never towards a page.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { issueSubscribers, issues, machines, organizations } from "../schema";

export interface SubscriberRow {
  id: string;
  email: string;
  token: string;
}

/**
 * Subscribes an address to an issue, or subscribes it again when it had unsubscribed (leaving an address is asking
 * again). Answers the subscription.
 */
export async function subscribeToIssue(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; email: string },
): Promise<SubscriberRow> {
  const [row] = await db
    .insert(issueSubscribers)
    .values({ organizationId: input.organizationId, issueId: input.issueId, email: input.email })
    .onConflictDoUpdate({
      target: [issueSubscribers.issueId, issueSubscribers.email],
      set: { unsubscribedAt: null },
    })
    .returning({ id: issueSubscribers.id, email: issueSubscribers.email, token: issueSubscribers.token });
  return row;
}

/** Subscriptions of an issue that were not turned off. */
export async function activeSubscribers(db: DbOrTx, organizationId: string, issueId: string): Promise<SubscriberRow[]> {
  return db
    .select({ id: issueSubscribers.id, email: issueSubscribers.email, token: issueSubscribers.token })
    .from(issueSubscribers)
    .where(
      and(
        eq(issueSubscribers.organizationId, organizationId),
        eq(issueSubscribers.issueId, issueId),
        isNull(issueSubscribers.unsubscribedAt),
      ),
    );
}

export interface SubscriptionByToken {
  id: string;
  issueTitle: string;
  organizationName: string;
  unsubscribedAt: Date | null;
}

/** The subscription of an unsubscribe link, in this organization only. */
export async function findSubscriptionByToken(
  db: DbOrTx,
  organizationId: string,
  token: string,
): Promise<SubscriptionByToken | null> {
  const [row] = await db
    .select({
      id: issueSubscribers.id,
      issueTitle: issues.title,
      organizationName: organizations.name,
      unsubscribedAt: issueSubscribers.unsubscribedAt,
    })
    .from(issueSubscribers)
    .innerJoin(issues, eq(issues.id, issueSubscribers.issueId))
    .innerJoin(organizations, eq(organizations.id, issueSubscribers.organizationId))
    .where(and(eq(issueSubscribers.organizationId, organizationId), eq(issueSubscribers.token, token)))
    .limit(1);
  return row ?? null;
}

/** Turns a subscription off (once: a second click changes nothing). */
export async function unsubscribe(db: DbOrTx, organizationId: string, id: string, now: Date): Promise<void> {
  await db
    .update(issueSubscribers)
    .set({ unsubscribedAt: now })
    .where(
      and(
        eq(issueSubscribers.organizationId, organizationId),
        eq(issueSubscribers.id, id),
        isNull(issueSubscribers.unsubscribedAt),
      ),
    );
}

export interface IssueMailFacts {
  title: string;
  machineName: string;
  followToken: string;
  reporterEmail: string | null;
}

/** What the messages about an issue say of it. */
export async function findIssueMailFacts(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
): Promise<IssueMailFacts | null> {
  const [row] = await db
    .select({
      title: issues.title,
      machineName: machines.name,
      followToken: issues.followToken,
      reporterEmail: issues.reporterEmail,
    })
    .from(issues)
    .innerJoin(machines, eq(machines.id, issues.machineId))
    .where(and(eq(issues.organizationId, organizationId), eq(issues.id, issueId)))
    .limit(1);
  return row ?? null;
}
