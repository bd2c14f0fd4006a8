/**
 * E-mail settings from the environment: SMTP_URL (where to send; unset = messages wait in the outbox), MAIL_FROM
 * (the sender) and MAIL_OUTBOX_KEEP_DAYS (how long sent messages stay in the outbox). Read once when the server starts (server/index.ts) and by `npm run mail:send-test`.
 */

export interface MailConfig {
  /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://…:465; null = do not send. */
  smtpUrl: string | null;
  /** The From header, e.g. `PinPoint <pinpoint@example.org>`. */
  from: string;
  /** The domain of the sender address: Message-IDs are `<outbox-id@domain>`. */
  domain: string;
  /** Sent messages older than this many days are purged by the worker (MAIL_OUTBOX_KEEP_DAYS, default 30). */
  keepSentDays?: number;
}

export const DEFAULT_KEEP_SENT_DAYS = 30;

export class MailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MailConfigError";
  }
}

/** The bare address in `Name <addr>` or `addr`. */
function addressOf(from: string): string {
  const angle = /<([^<>\s]+)>\s*$/.exec(from);
  return (angle ? angle[1] : from).trim();
}

const ADDRESS = /^[^\s@<>]+@([^\s@<>]+)$/;

/** The settings, or a MailConfigError that says what is wrong (the server refuses to start with it). */
export function mailConfigFromEnv(env: Record<string, string | undefined> = process.env): MailConfig {
  const raw = env.SMTP_URL?.trim() || null;
  let user = "";
  if (raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new MailConfigError("SMTP_URL is not a valid URL; expected e.g. smtp://user:password@mail.example.org:587");
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
      throw new MailConfigError(`SMTP_URL must start with smtp:// or smtps:// (it starts with ${url.protocol}//)`);
    if (!url.hostname) throw new MailConfigError("SMTP_URL names no host");
    user = decodeURIComponent(url.username);
  }
  let from = env.MAIL_FROM?.trim();
  if (!from) {
    // Many providers accept only their account's own address as the sender: use the SMTP user when it is one.
    const host = env.PUBLIC_URL ? safeHostname(env.PUBLIC_URL) : null;
    from = `PinPoint <${ADDRESS.test(user) ? user : `pinpoint@${host ?? "localhost"}`}>`;
  }
  if (/[\r\n]/.test(from)) throw new MailConfigError("MAIL_FROM must be one line");
  const match = ADDRESS.exec(addressOf(from));
  if (!match) throw new MailConfigError(`MAIL_FROM is not an e-mail address: ${JSON.stringify(from)}`);
  const keepRaw = env.MAIL_OUTBOX_KEEP_DAYS?.trim();
  const keepSentDays = keepRaw ? Number(keepRaw) : DEFAULT_KEEP_SENT_DAYS;
  if (!Number.isInteger(keepSentDays) || keepSentDays < 1 || keepSentDays > 3650)
    throw new MailConfigError(`MAIL_OUTBOX_KEEP_DAYS must be a whole number of days from 1 to 3650 (it is ${keepRaw})`);
  return { smtpUrl: raw, from, domain: match[1].toLowerCase(), keepSentDays };
}

function safeHostname(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** SMTP_URL without its password, for logs and messages. */
export function redactSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable SMTP_URL)";
  }
}
