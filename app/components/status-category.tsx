/**
 * An issue's status as a badge: the status's own name, coloured by its category (open, in progress, closed), with the
 * category's word as its title. One set of words (CATEGORY_LABELS in core/issue-rules.ts) and one set of colours.
 */
import type { ReactNode } from "react";
import { CATEGORY_LABELS, type StatusCategory } from "../../core/issue-rules";

/** Static class names (Tailwind must see them literally); colours meet WCAG AA on their backgrounds. */
const CATEGORY_BADGE: Readonly<Record<StatusCategory, string>> = {
  NEW: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  IN_PROGRESS: "bg-indigo-100 text-indigo-900 ring-1 ring-inset ring-indigo-300",
  RESOLVED: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
};

export function StatusCategoryBadge({
  category,
  children,
  large = false,
}: {
  category: StatusCategory;
  /** What the badge says; default the category's word. */
  children?: ReactNode;
  large?: boolean;
}) {
  return (
    <span
      className={`badge ${CATEGORY_BADGE[category]}${large ? " px-3 py-1 text-sm font-semibold" : ""}`}
      title={CATEGORY_LABELS[category]}
    >
      {children ?? CATEGORY_LABELS[category]}
    </span>
  );
}
