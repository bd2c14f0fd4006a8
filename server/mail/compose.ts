/**
 * An outbox row as a nodemailer message. Everything comes from the row, so re-sending the same row (after a crash
 * between the SMTP server's acceptance and our UPDATE) produces the same message: the Message-ID is derived from
 * the outbox id and the Date is when it was queued, so receivers can recognise the duplicate.
 */
import type { SendMailOptions } from "nodemailer";
import { MAIL_HEADER_NAMES } from "../../core/mail/headers";
import type { MailOutboxRow } from "../../db/schema";
import type { MailConfig } from "./config";

/** `<outbox-id@domain>`: stable for a message across attempts and worker restarts. */
export function messageIdFor(outboxId: string, config: Pick<MailConfig, "domain">): string {
  return `<${outboxId}@${config.domain}>`;
}

const allowed = new Map(MAIL_HEADER_NAMES.map((name) => [name.toLowerCase(), name]));

export function composeMessage(
  row: Pick<MailOutboxRow, "id" | "toAddress" | "subject" | "textBody" | "htmlBody" | "headers" | "createdAt">,
  config: Pick<MailConfig, "from" | "domain">,
): SendMailOptions {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.headers ?? {})) {
    const known = allowed.get(name.toLowerCase());
    // Only known names, one line each: a stored value can never add headers or override From/To/Subject.
    if (known && typeof value === "string" && !/[\r\n]/.test(value)) headers[known] = value;
  }
  // RFC 3834: automatic messages say so, so out-of-office replies are not sent back to us.
  headers["Auto-Submitted"] = "auto-generated";
  return {
    from: config.from,
    to: row.toAddress,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody ?? undefined,
    messageId: messageIdFor(row.id, config),
    date: row.createdAt,
    headers,
  };
}
