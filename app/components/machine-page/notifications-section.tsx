/** The member machine page's owner notification toggles (the owner, or anyone with machine:edit). Plain POST form. */
import { FormMessage } from "~/components/form";
import { TitledSection } from "~/components/titled-section";

export interface OwnerNotificationValues {
  ownerNotificationsEnabled: boolean;
  notifyOnNewIssues: boolean;
  notifyOnStatusChanges: boolean;
  notifyOnComments: boolean;
}

const TOGGLES: readonly [keyof OwnerNotificationValues, string][] = [
  ["ownerNotificationsEnabled", "Notify the owner at all"],
  ["notifyOnNewIssues", "New issues"],
  ["notifyOnStatusChanges", "Status changes"],
  ["notifyOnComments", "Comments"],
];

export function OwnerNotificationsSection({
  ownerName,
  values,
  error,
}: {
  ownerName: string | null;
  values: OwnerNotificationValues;
  error?: string;
}) {
  return (
    <TitledSection headingId="notify-heading" title="Owner notifications" className="card max-w-2xl space-y-3">
      <p className="text-sm text-slate-700">
        {ownerName
          ? `What ${ownerName} hears about this machine (in-app notifications).`
          : "Applies once the machine has an owner."}
      </p>
      <FormMessage error={error} />
      <form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="notifications" />
        {TOGGLES.map(([name, label]) => (
          <div key={name} className="flex items-center gap-2">
            <input id={`n-${name}`} type="checkbox" name={name} defaultChecked={values[name]} className="h-4 w-4" />
            <label htmlFor={`n-${name}`} className="text-sm">
              {label}
            </label>
          </div>
        ))}
        <button type="submit" className="btn-secondary">
          Save notification settings
        </button>
      </form>
    </TitledSection>
  );
}
