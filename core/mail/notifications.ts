/**
 * Notification e-mails for members: one message per event ("right away") and the daily digest. Every message
 * carries the one-click unsubscribe link (./headers.ts listUnsubscribeHeaders) in its headers and in its body.
 * Messages about one issue share a thread id (`issueThreadHeaders`), so mail programs group them.
 */
import { renderMail, type MailBlock, type RenderedMail } from "./compose";

const greeting = (name: string | null | undefined) => (name?.trim() ? `Hello ${name.trim()},` : "Hello,");

const short = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const footer = (organizationName: string) =>
  `You get this message because you are a member of ${organizationName} on PinPoint and chose e-mail notifications. Use the unsubscribe link above, or your notification settings, to stop them.`;

/**
 * The thread of one issue: every message about it refers to the same id (RFC 5322 References / In-Reply-To).
 * `domain` must be the same for every message about the issue (the caller uses the organization, not a host).
 */
export function issueThreadHeaders(issueId: string, domain: string): Record<string, string> {
  const safeId = issueId.replace(/[^A-Za-z0-9._-]/g, "");
  const safeDomain = domain.replace(/[^A-Za-z0-9.-]/g, "") || "pinpoint.invalid";
  const id = `<issue-${safeId}@${safeDomain}>`;
  return { "In-Reply-To": id, References: id };
}

/** One notification ("right away"): what happened and a link to where it happened. */
function notificationMail(input: {
  name: string | null;
  organizationName: string;
  subject: string;
  message: string;
  link: { label: string; url: string };
  unsubscribeUrl: string;
  settingsUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `[${input.organizationName}] ${input.subject}`,
    greeting: greeting(input.name),
    blocks: [
      input.message,
      input.link,
      { label: "Change your notification settings", url: input.settingsUrl },
      { label: "Stop these e-mails (one click)", url: input.unsubscribeUrl },
    ],
    footer: footer(input.organizationName),
  });
}

export function issueNotificationMail(input: {
  name: string | null;
  organizationName: string;
  machine: string;
  issueTitle: string;
  message: string;
  issueUrl: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}): RenderedMail {
  return notificationMail({
    ...input,
    subject: `${input.machine}: ${short(input.issueTitle)}`,
    link: { label: "Open the issue", url: input.issueUrl },
  });
}

/** A notification about a machine itself (a maintenance note), linking to the machine's page. */
export function machineNotificationMail(input: {
  name: string | null;
  organizationName: string;
  machine: string;
  subject: string;
  message: string;
  machineUrl: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}): RenderedMail {
  return notificationMail({
    ...input,
    subject: `${input.machine}: ${short(input.subject)}`,
    link: { label: "Open the machine", url: input.machineUrl },
  });
}

export function notificationDigestMail(input: {
  name: string | null;
  organizationName: string;
  day: string;
  items: { message: string; url: string | null }[];
  /** How many more there were than listed. */
  more?: number;
  notificationsUrl: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}): RenderedMail {
  const n = input.items.length + (input.more ?? 0);
  const blocks: MailBlock[] = [
    `${n} unread ${n === 1 ? "notification" : "notifications"} in ${input.organizationName} on ${input.day}:`,
  ];
  for (const item of input.items) blocks.push(item.url ? { label: item.message, url: item.url } : item.message);
  if (input.more) blocks.push(`And ${input.more} more.`);
  blocks.push(
    { label: "See all your notifications", url: input.notificationsUrl },
    { label: "Change your notification settings", url: input.settingsUrl },
    { label: "Stop these e-mails (one click)", url: input.unsubscribeUrl },
  );
  return renderMail({
    subject: `[${input.organizationName}] ${n} ${n === 1 ? "notification" : "notifications"} on ${input.day}`,
    greeting: greeting(input.name),
    blocks,
    footer: footer(input.organizationName),
  });
}
