/**
 * The organization's e-mail outbox page (/admin/outbox): its messages with their text, links and delivery state,
 * so admins can act on them when this PinPoint sends no e-mail (no SMTP_URL). Account messages (password resets,
 * security notices) have no organization and never appear here: an admin could otherwise take over other people's
 * accounts; the operator reads them with `npm run mail:outbox` (docs/decisions/028-mail-outbox.md).
 */
import { linksInText } from "../../core/mail/compose";
import { countOrganizationMail, listOrganizationMail } from "../../db/queries/outbox.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, type Actor } from "./actor";

export const OUTBOX_PAGE_SIZE = 20;

/** Words for the kinds of messages; kinds not listed here show as they are stored. */
const KIND_LABELS: Record<string, string> = {
  password_reset: "Password reset",
  password_changed: "Password changed",
  sign_in_attempts: "Failed sign-ins",
  test: "Test message",
  invitation: "Invitation",
  notification: "Notification",
  notification_digest: "Daily digest",
  report_receipt: "Report received",
  me_too_receipt: "Me too: we will tell you",
  issue_closed: "Problem fixed",
};

/**
 * What admins see of a message's text: everything but its unsubscribe links. Those links (/unsubscribe/<token>,
 * /notifications/unsubscribe/<token>) act for their recipient without sign-in, so they stay with the recipient;
 * the links an admin passes on (invitations, the issue and follow links) stay.
 */
export const HIDDEN_UNSUBSCRIBE_LINK = "(unsubscribe link: only in the recipient's copy)";

export function withoutUnsubscribeLinks(text: string): string {
  return text.replace(/https?:\/\/[^\s<>"]*\/unsubscribe\/[^\s<>"]*/g, HIDDEN_UNSUBSCRIBE_LINK);
}

const STATUS_LABELS = { pending: "Waiting", sent: "Sent", failed: "Failed" } as const;

export async function loadOutboxPage(actor: Actor, page: number) {
  requireCan(actor, "user:manage");
  const { db, organizationId } = actor;
  const [rows, counts] = await Promise.all([
    listOrganizationMail(db, organizationId, { limit: OUTBOX_PAGE_SIZE, offset: (page - 1) * OUTBOX_PAGE_SIZE }),
    countOrganizationMail(db, organizationId),
  ]);
  return {
    mailIsSent: Boolean(process.env.SMTP_URL?.trim()),
    counts,
    total: counts.pending + counts.sent + counts.failed,
    page,
    pageSize: OUTBOX_PAGE_SIZE,
    messages: rows.map((m) => {
      const text = withoutUnsubscribeLinks(m.textBody);
      return {
        id: m.id,
        kind: KIND_LABELS[m.kind] ?? m.kind,
        to: m.toAddress,
        subject: m.subject,
        text,
        links: linksInText(text),
        status: m.status,
        statusLabel: STATUS_LABELS[m.status],
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: dateFormatterFor(actor.organization).dateTime(m.createdAt),
        createdIso: m.createdAt.toISOString(),
        sentAt: m.sentAt ? dateFormatterFor(actor.organization).dateTime(m.sentAt) : null,
        nextAttemptAt:
          m.status === "pending" && m.attempts > 0
            ? dateFormatterFor(actor.organization).dateTime(m.nextAttemptAt)
            : null,
      };
    }),
  };
}
