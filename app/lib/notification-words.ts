/** The words of the notification settings, shared by /notifications and its use case. Browser-safe. */

export const NOTIFICATION_FREQUENCIES = ["IMMEDIATE", "DAILY", "WEEKLY", "DISABLED"] as const;
export type NotificationFrequencyChoice = (typeof NOTIFICATION_FREQUENCIES)[number];

export const FREQUENCY_LABELS: Readonly<Record<NotificationFrequencyChoice, string>> = {
  IMMEDIATE: "Right away",
  DAILY: "Daily digest",
  WEEKLY: "Weekly digest",
  DISABLED: "Never",
};

/** A machine owner's toggles, in the order the settings list them. */
export const OWNER_TOGGLES = [
  "ownerNotificationsEnabled",
  "notifyOnNewIssues",
  "notifyOnStatusChanges",
  "notifyOnComments",
] as const;

export const OWNER_TOGGLE_LABELS: Readonly<Record<(typeof OWNER_TOGGLES)[number], string>> = {
  ownerNotificationsEnabled: "Notify me about this machine",
  notifyOnNewIssues: "New issues",
  notifyOnStatusChanges: "Status changes",
  notifyOnComments: "Comments",
};
