/** `<option>` lists shared by the pickers and filters of several pages (issues, machines, locations). */
import { CATEGORY_LABELS, STATUS_CATEGORIES, type StatusCategory } from "../../core/issue-rules";
import { MACHINE_STATUS_LABEL } from "../../core/machine-status";

/** One option per record: the id is sent, the name is shown. */
export function NameOptions({ items }: { items: readonly { id: string; name: string }[] }) {
  return items.map((item) => (
    <option key={item.id} value={item.id}>
      {item.name}
    </option>
  ));
}

/** Statuses grouped by category (Open, In progress, Closed); a category without statuses is left out. */
export function StatusOptionGroups({
  statuses,
}: {
  statuses: readonly { id: string; name: string; category: StatusCategory }[];
}) {
  return STATUS_CATEGORIES.map((category) => {
    const list = statuses.filter((s) => s.category === category);
    return list.length ? (
      <optgroup key={category} label={CATEGORY_LABELS[category]}>
        <NameOptions items={list} />
      </optgroup>
    ) : null;
  });
}

/** The machine status filter's choices (after its own "Any status"). */
export function MachineStatusOptions() {
  return (["playable", "degraded", "down"] as const).map((status) => (
    <option key={status} value={status}>
      {MACHINE_STATUS_LABEL[status]}
    </option>
  ));
}

/** Collections as "Type: name (machine count)". */
export function CollectionOptions({
  collections,
}: {
  collections: readonly { id: string; name: string; typeLabel: string; machineCount: number }[];
}) {
  return collections.map((c) => (
    <option key={c.id} value={c.id}>
      {c.typeLabel}: {c.name} ({c.machineCount})
    </option>
  ));
}
