/** The issue list's search box and filters: a GET form, so every view is a URL that works without JavaScript. */
import { useEffect, useRef, type ReactNode } from "react";
import { SearchInput, SelectField } from "~/components/form";
import { NameOptions, StatusOptionGroups } from "~/components/options";
import { ISSUE_LIMITS, ISSUE_SORTS } from "../../../core/issue-rules";
import { SORT_LABELS } from "~/lib/issue-list-words";
import { hasFilters, type IssueListFilterValues, type IssueListOptions } from "./types";

function Filter({
  label,
  name,
  value,
  hint,
  children,
}: {
  label: string;
  name: string;
  value: string;
  hint?: string;
  children: ReactNode;
}) {
  // Keyed by the value so a new URL resets the control.
  return (
    <SelectField key={value} id={`filter-${name}`} label={label} name={name} defaultValue={value} hint={hint}>
      {children}
    </SelectField>
  );
}

export function IssueFilters({ current, options }: { current: IssueListFilterValues; options: IssueListOptions }) {
  const searchRef = useRef<HTMLInputElement>(null);
  // "/" focuses the search box (as on GitHub and most trackers), unless the user is typing somewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const byPriority = current.sort === "priority";
  const byVotes = current.sort === "upvotes";
  const byMatch = current.sort === "relevance";
  // What the list is sorted by when no order is chosen (app/use-cases/issue-pages.server.ts issueListCriteria).
  const defaultSort = current.q ? "relevance" : "created";

  return (
    <form method="get" className="card space-y-3" role="search" aria-label="Filter issues">
      {current.category !== "active" ? <input type="hidden" name="category" value={current.category} /> : null}
      <div className="flex gap-2">
        <SearchInput
          inputRef={searchRef}
          id="issue-search"
          label="Search issues"
          defaultValue={current.q}
          maxLength={ISSUE_LIMITS.search}
          placeholder="Search title and description (press /)"
          enterKeyHint="search"
        />
        <button type="submit" className="btn-primary">
          Search
        </button>
      </div>
      <details open={hasFilters(current) && !current.q ? true : undefined} className="group">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Filters and sorting</summary>
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Filter label="Status" name="status" value={current.status}>
            <option value="">Any status</option>
            <StatusOptionGroups statuses={options.statuses} />
          </Filter>
          <Filter label="Priority" name="priority" value={current.priority}>
            <option value="">Any priority</option>
            <NameOptions items={options.priorities} />
          </Filter>
          <Filter
            label="Machine"
            name="machine"
            value={current.machine}
            hint={
              options.machinesNeedLocation
                ? "Many machines: choose a location and apply to pick one of its machines."
                : undefined
            }
          >
            <option value="">Any machine</option>
            {options.machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {options.locations.length > 1 ? ` — ${m.locationName}` : ""}
              </option>
            ))}
          </Filter>
          <Filter label="Location" name="location" value={current.location}>
            <option value="">Any location</option>
            <NameOptions items={options.locations} />
          </Filter>
          <Filter label="Assignee" name="assignee" value={current.assignee}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="unassigned">Unassigned</option>
            <NameOptions items={options.members} />
          </Filter>
          <Filter label="Reported by" name="reporter" value={current.reporter}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="anonymous">Guests (no account)</option>
            <NameOptions items={options.members} />
          </Filter>
          {/* The view's own order is sent empty: a search typed in later is then ranked by Best match
              (issueListCriteria), not kept in the order the select happened to show. */}
          <Filter
            // "" means another order once a search is made or cleared: a new control then, not the old selection.
            key={defaultSort}
            label="Sort by"
            name="sort"
            value={current.sort === defaultSort ? "" : current.sort}
          >
            {ISSUE_SORTS.filter((s) => s !== "relevance" || current.q).map((s) => (
              <option key={s} value={s === defaultSort ? "" : s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </Filter>
          <Filter label="Order" name="dir" value={current.dir}>
            <option value="desc">
              {byPriority
                ? "Most urgent first"
                : byVotes
                  ? "Most votes first"
                  : byMatch
                    ? "Best match first"
                    : "Newest first"}
            </option>
            <option value="asc">
              {byPriority
                ? "Least urgent first"
                : byVotes
                  ? "Fewest votes first"
                  : byMatch
                    ? "Weakest match first"
                    : "Oldest first"}
            </option>
          </Filter>
        </div>
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="submit" className="btn-primary">
            Apply filters
          </button>
          <a href="/issues" className="btn-secondary">
            Clear all
          </a>
        </div>
      </details>
    </form>
  );
}
