/**
 * How a person gets notification e-mails, per kind of event: right away, in the daily digest, or not at all.
 * The kinds are the events the notification code writes (db/queries/notifications.server.ts): assigned to me,
 * a comment, a status change, a new issue on a machine I own, a maintenance note on a machine I watch. The choices are stored per person in
 * User.emailFrequencyByKind; a kind missing there (accounts made before the choice existed, or new accounts) follows
 * the older single setting User.notificationFrequency. `emailNotificationsEnabled` off (the one-click unsubscribe)
 * turns every kind off without forgetting the choices.
 */

export const EMAIL_KINDS = [
  "ISSUE_ASSIGNED",
  "ISSUE_COMMENTED",
  "ISSUE_UPDATED",
  "ISSUE_CREATED",
  "MACHINE_MAINTENANCE",
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const EMAIL_CHOICES = ["IMMEDIATE", "DAILY", "OFF"] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

export type EmailChoices = Partial<Record<EmailKind, EmailChoice>>;

export const EMAIL_KIND_LABELS: Readonly<Record<EmailKind, string>> = {
  ISSUE_ASSIGNED: "An issue is assigned to me",
  ISSUE_COMMENTED: "New comment on an issue I reported, own or am assigned",
  ISSUE_UPDATED: "Status change of an issue I reported or own",
  ISSUE_CREATED: "New issue on a machine I own",
  MACHINE_MAINTENANCE: "Maintenance note on a machine I watch",
};

export const EMAIL_CHOICE_LABELS: Readonly<Record<EmailChoice, string>> = {
  IMMEDIATE: "Right away",
  DAILY: "Daily digest",
  OFF: "Off",
};

/** The older single setting as a choice: there is no weekly digest, so "weekly" becomes the daily one. */
export function choiceOfFrequency(frequency: string): EmailChoice {
  if (frequency === "IMMEDIATE") return "IMMEDIATE";
  if (frequency === "DAILY" || frequency === "WEEKLY") return "DAILY";
  return "OFF";
}

const isKind = (value: string): value is EmailKind => (EMAIL_KINDS as readonly string[]).includes(value);
const isChoice = (value: unknown): value is EmailChoice => (EMAIL_CHOICES as readonly unknown[]).includes(value);

/** The stored choices, read defensively (unknown keys and values are dropped). */
export function readEmailChoices(stored: unknown): EmailChoices {
  const out: EmailChoices = {};
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return out;
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (isKind(key) && isChoice(value)) out[key] = value;
  }
  return out;
}

/** Every kind's choice as shown on the settings page (the master switch aside). */
export function effectiveChoices(person: { byKind: unknown; frequency: string }): Record<EmailKind, EmailChoice> {
  const stored = readEmailChoices(person.byKind);
  const fallback = choiceOfFrequency(person.frequency);
  return Object.fromEntries(EMAIL_KINDS.map((k) => [k, stored[k] ?? fallback])) as Record<EmailKind, EmailChoice>;
}

/** How the person gets an e-mail about a notification of `type` (a type that is no e-mail kind: "OFF"). */
export function emailChoiceFor(
  type: string,
  person: { enabled: boolean; byKind: unknown; frequency: string },
): EmailChoice {
  if (!person.enabled || !isKind(type)) return "OFF";
  return effectiveChoices(person)[type];
}
