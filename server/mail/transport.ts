/**
 * The SMTP transport built from SMTP_URL (nodemailer): smtp:// upgrades with STARTTLS when the server offers it
 * (`?requireTLS=true` insists on it), smtps:// is TLS from the start; nodemailer's URL options such as
 * `?tls.rejectUnauthorized=false` (a self-signed server) pass through. Timeouts are bounded so a hanging server
 * cannot hold a message for longer than the worker's lease.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";

export type SmtpTransport = Transporter<SMTPTransport.SentMessageInfo>;

/** Connection + greeting + the slowest answer we wait for: well below the lease (server/mail/worker.ts). */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function createSmtpTransport(smtpUrl: string): SmtpTransport {
  return nodemailer.createTransport({
    url: smtpUrl,
    ...SMTP_TIMEOUTS,
    // Messages are plain strings from the outbox: never let one read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  } as SMTPTransport.Options);
}
