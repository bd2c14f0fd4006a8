/**
 * /issues — the triage list for members with issue:view. Every filter lives in the URL (a GET form that works
 * without JavaScript), so a view can be bookmarked and shared: ?q=&category=&status=&priority=&machine=&location=
 * &assignee=(id|me|unassigned)&reporter=(id|me|anonymous)&sort=(created|updated|priority|upvotes)&dir=(asc|desc)
 * and a keyset cursor (?after= / ?before=). Unknown or malformed values are ignored, never a 500.
 * One SQL statement for the page, one for the per-category counts, plus the picker options. In large organizations
 * the machine picker lists the machines of the chosen location only (thousands of <option>s made the page 400 KB),
 * and a search stops counting at SEARCH_COUNT_CAP matches.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { TitleBar } from "~/components/list-page";
import { requireMember } from "~/lib/access.server";
import { CATEGORY_LABELS, ISSUE_LIMITS, ISSUE_SORTS, type IssueSort, type StatusCategory } from "../../core/issue-rules";
import { idParam } from "~/lib/ids";
import { loadMachinePicker } from "~/lib/machine-picker.server";
import { timeAgo } from "~/lib/format";
import {
  countIssuesByCategory,
  decodeCursor,
  displayName,
  listIssues,
  listMemberOptions,
  type CategoryFilter,
  type IssueListFilters,
  type SortDir,
} from "../../db/queries/issues.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { listPriorities } from "../../db/queries/priorities.server";
import { listStatuses } from "../../db/queries/statuses.server";

export const meta: MetaFunction = () => [{ title: "Issues · PinPoint" }];

/** A search stops counting matches here and the tabs say "1,000+". */
const SEARCH_COUNT_CAP = 1000;

const PAGE_SIZE = 25;

/** URL words for the category filter (a Map: `?category=constructor` must not find Object.prototype's). */
const CATEGORY_PARAM = new Map<string, CategoryFilter>([
  ["active", "active"],
  ["open", "NEW"],
  ["in-progress", "IN_PROGRESS"],
  ["closed", "RESOLVED"],
  ["all", "all"],
]);
const CATEGORY_TABS: { param: string; label: string; filter: CategoryFilter }[] = [
  { param: "active", label: "Active", filter: "active" },
  { param: "open", label: CATEGORY_LABELS.NEW, filter: "NEW" },
  { param: "in-progress", label: CATEGORY_LABELS.IN_PROGRESS, filter: "IN_PROGRESS" },
  { param: "closed", label: CATEGORY_LABELS.RESOLVED, filter: "RESOLVED" },
  { param: "all", label: "All", filter: "all" },
];

const SORT_LABELS: Record<IssueSort, string> = {
  created: "Reported",
  updated: "Last activity",
  priority: "Priority",
  upvotes: "Me too votes",
};

const CATEGORY_BADGE: Record<StatusCategory, string> = {
  NEW: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  IN_PROGRESS: "bg-indigo-100 text-indigo-900 ring-1 ring-inset ring-indigo-300",
  RESOLVED: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
};

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId, user, can } = await requireMember(args, "issue:view");
  const url = new URL(args.request.url);
  const p = url.searchParams;

  const category = CATEGORY_PARAM.get(p.get("category") ?? "active") ?? "active";
  const statusIds = p.getAll("status").map(idParam).filter((s): s is string => Boolean(s)).slice(0, 20);
  const assigneeParam = p.get("assignee");
  const reporterParam = p.get("reporter");
  const q = (p.get("q") ?? "").trim().slice(0, ISSUE_LIMITS.search);
  const sort: IssueSort = (ISSUE_SORTS as readonly string[]).includes(p.get("sort") ?? "") ? (p.get("sort") as IssueSort) : "created";
  const dir: SortDir = p.get("dir") === "asc" ? "asc" : "desc";

  const filters: IssueListFilters = {
    // A chosen status is more specific than the category tab.
    category: statusIds.length ? "all" : category,
    statusIds,
    priorityId: idParam(p.get("priority")),
    machineId: idParam(p.get("machine")),
    locationId: idParam(p.get("location")),
    assigneeId:
      assigneeParam === "me" ? user.id : assigneeParam === "unassigned" ? "unassigned" : idParam(assigneeParam),
    reporterId: reporterParam === "me" ? user.id : reporterParam === "anonymous" ? "anonymous" : idParam(reporterParam),
    q: q || undefined,
  };

  const after = decodeCursor(p.get("after"), sort);
  const before = after ? null : decodeCursor(p.get("before"), sort);
  const cursor = after ? { kind: "after" as const, ...after } : before ? { kind: "before" as const, ...before } : null;

  const [page, { counts, capped }, statuses, priorities, picker, locations, members] = await Promise.all([
    listIssues(db, { organizationId, filters, sort, dir, cursor, limit: PAGE_SIZE }),
    countIssuesByCategory(db, organizationId, filters, { cap: filters.q ? SEARCH_COUNT_CAP : undefined }),
    listStatuses(db, organizationId),
    listPriorities(db, organizationId),
    loadMachinePicker(db, organizationId, { locationId: filters.locationId, machineId: filters.machineId }),
    listLocationOptions(db, organizationId),
    listMemberOptions(db, organizationId),
  ]);
  const now = new Date();

  return {
    canCreate: can("issue:create"),
    laterPage: Boolean(cursor),
    items: page.items.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status,
      priority: { name: i.priority.name, order: i.priority.order },
      machine: i.machine,
      location: i.location,
      assignee: i.assignee ? { id: i.assignee.id, name: displayName(i.assignee.name), isMe: i.assignee.id === user.id } : null,
      reporter: i.reporter ? displayName(i.reporter.name) : i.submitterName ? `${i.submitterName} (guest)` : "Anonymous",
      createdIso: i.createdAt.toISOString(),
      createdAgo: timeAgo(i.createdAt, now),
      updatedAgo: timeAgo(i.updatedAt, now),
      upvotes: i.upvotes,
      comments: i.comments,
    })),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    countsCapped: capped,
    counts: {
      active: counts.NEW + counts.IN_PROGRESS,
      open: counts.NEW,
      "in-progress": counts.IN_PROGRESS,
      closed: counts.RESOLVED,
      all: counts.NEW + counts.IN_PROGRESS + counts.RESOLVED,
    } as Record<string, number>,
    current: {
      q,
      category: CATEGORY_TABS.find((t) => t.filter === category)?.param ?? "active",
      status: statusIds[0] ?? "",
      priority: filters.priorityId ?? "",
      machine: filters.machineId ?? "",
      location: filters.locationId ?? "",
      assignee: assigneeParam === "me" || assigneeParam === "unassigned" ? assigneeParam : (filters.assigneeId ?? ""),
      reporter: reporterParam === "me" || reporterParam === "anonymous" ? reporterParam : (filters.reporterId ?? ""),
      sort,
      dir,
    },
    options: { statuses, priorities, machines: picker.machines, machinesNeedLocation: picker.needsLocation, locations, members },
  };
}

/** Filters that narrow the list (besides the category tab), to word the empty state. */
function hasFilters(c: ReturnType<typeof useLoaderData<typeof loader>>["current"]) {
  return Boolean(c.q || c.status || c.priority || c.machine || c.location || c.assignee || c.reporter);
}

export default function IssueList() {
  const data = useLoaderData<typeof loader>();
  const { current, options, counts } = data;
  const [params] = useSearchParams();
  const navigation = useNavigation();
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

  /** The current URL with some parameters replaced (cursor dropped unless given). */
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    next.delete("index");
    const s = next.toString();
    return s ? `/issues?${s}` : "/issues";
  };

  const statusGroups = (["NEW", "IN_PROGRESS", "RESOLVED"] as const).map((c) => ({
    category: c,
    statuses: options.statuses.filter((s) => s.category === c),
  }));
  const busy = navigation.state === "loading" && navigation.location?.pathname === "/issues";

  return (
    <div className="space-y-5">
      <TitleBar title="Issues">
        <div className="flex flex-wrap gap-2">
          <Link to={withParams({ assignee: current.assignee === "me" ? null : "me" })} className="btn-secondary">
            {current.assignee === "me" ? "✓ Assigned to me" : "Assigned to me"}
          </Link>
          {data.canCreate ? (
            <Link to="/issues/new" className="btn-primary">
              New issue
            </Link>
          ) : null}
        </div>
      </TitleBar>

      <nav aria-label="Issue status" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
        {CATEGORY_TABS.map((t) => {
          const active = current.category === t.param;
          return (
            <Link
              key={t.param}
              to={withParams({ category: t.param === "active" ? null : t.param, status: null })}
              aria-current={active ? "page" : undefined}
              className={`whitespace-nowrap rounded-full px-3 py-1.5 text-sm font-medium no-underline ${
                active ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-100"
              }`}
            >
              {t.label}{" "}
              {data.countsCapped ? null : <span className={active ? "text-indigo-100" : "text-slate-500"}>{counts[t.param]}</span>}
            </Link>
          );
        })}
      </nav>

      {data.countsCapped ? (
        <p className="text-sm text-slate-600" role="status">
          More than {SEARCH_COUNT_CAP.toLocaleString("en-US")} issues match this search; narrow it with more words or filters to see counts.
        </p>
      ) : null}

      <Form method="get" className="card space-y-3" role="search" aria-label="Filter issues">
        {current.category !== "active" ? <input type="hidden" name="category" value={current.category} /> : null}
        <div className="flex gap-2">
          <label htmlFor="issue-search" className="sr-only">
            Search issues
          </label>
          <input
            ref={searchRef}
            id="issue-search"
            type="search"
            name="q"
            defaultValue={current.q}
            maxLength={ISSUE_LIMITS.search}
            placeholder="Search title and description (press /)"
            className="input"
            enterKeyHint="search"
          />
          <button type="submit" className="btn-primary">
            Search
          </button>
        </div>
        <details open={hasFilters(current) && !current.q ? true : undefined} className="group">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Filters and sorting</summary>
          <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Select label="Status" name="status" value={current.status}>
              <option value="">Any status</option>
              {statusGroups.map((g) =>
                g.statuses.length ? (
                  <optgroup key={g.category} label={CATEGORY_LABELS[g.category]}>
                    {g.statuses.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </optgroup>
                ) : null,
              )}
            </Select>
            <Select label="Priority" name="priority" value={current.priority}>
              <option value="">Any priority</option>
              {options.priorities.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
            <Select
              label="Machine"
              name="machine"
              value={current.machine}
              hint={options.machinesNeedLocation ? "Many machines: choose a location and apply to pick one of its machines." : undefined}
            >
              <option value="">Any machine</option>
              {options.machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {options.locations.length > 1 ? ` — ${m.locationName}` : ""}
                </option>
              ))}
            </Select>
            <Select label="Location" name="location" value={current.location}>
              <option value="">Any location</option>
              {options.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </Select>
            <Select label="Assignee" name="assignee" value={current.assignee}>
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="unassigned">Unassigned</option>
              {options.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </Select>
            <Select label="Reported by" name="reporter" value={current.reporter}>
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="anonymous">Guests (no account)</option>
              {options.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </Select>
            <Select label="Sort by" name="sort" value={current.sort}>
              {ISSUE_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </Select>
            <Select label="Order" name="dir" value={current.dir}>
              <option value="desc">{current.sort === "priority" ? "Most urgent first" : current.sort === "upvotes" ? "Most votes first" : "Newest first"}</option>
              <option value="asc">{current.sort === "priority" ? "Least urgent first" : current.sort === "upvotes" ? "Fewest votes first" : "Oldest first"}</option>
            </Select>
          </div>
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="submit" className="btn-primary">
              Apply filters
            </button>
            <Link to="/issues" className="btn-secondary">
              Clear all
            </Link>
          </div>
        </details>
      </Form>

      <section aria-labelledby="results-heading" aria-busy={busy || undefined}>
        <h2 id="results-heading" className="sr-only">
          Results
        </h2>
        {data.items.length === 0 ? (
          <div className="card py-10 text-center">
            {hasFilters(current) ? (
              <>
                <p className="font-medium">No issues match these filters.</p>
                <p className="mt-2 text-sm text-slate-600">
                  Try other words, another status tab, or <Link to="/issues">clear all filters</Link>.
                </p>
              </>
            ) : current.category === "active" && counts.all > 0 ? (
              <>
                <p className="font-medium">Nothing open. Every machine is playing. 🎉</p>
                <p className="mt-2 text-sm text-slate-600">
                  <Link to={withParams({ category: "closed" })}>See closed issues</Link>
                </p>
              </>
            ) : (
              <>
                <p className="font-medium">No issues here yet.</p>
                <p className="mt-2 text-sm text-slate-600">
                  When players or members report problems, they show up here.
                  {data.canCreate ? (
                    <>
                      {" "}
                      <Link to="/issues/new">Report one now</Link>.
                    </>
                  ) : null}
                </p>
              </>
            )}
          </div>
        ) : (
          <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
            {data.items.map((i) => (
              <li key={i.id} className="p-3 hover:bg-slate-50 sm:p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <Link to={`/issues/${i.id}`} className="min-w-0 flex-1 text-base font-semibold text-slate-900">
                    {i.title}
                  </Link>
                  <span className={`badge ${CATEGORY_BADGE[i.status.category]}`} title={CATEGORY_LABELS[i.status.category]}>
                    {i.status.name}
                  </span>
                </div>
                <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
                  <span>
                    <span className="sr-only">Machine: </span>
                    {i.machine.name}
                  </span>
                  <span>
                    Priority: <strong className={i.priority.order >= 3 ? "text-red-700" : "font-medium"}>{i.priority.name}</strong>
                  </span>
                  <span>{i.assignee ? `Assigned to ${i.assignee.isMe ? "you" : i.assignee.name}` : "Unassigned"}</span>
                  <span>
                    <time dateTime={i.createdIso}>Reported {i.createdAgo}</time> by {i.reporter}
                  </span>
                  {i.comments ? <span>💬 {i.comments}<span className="sr-only"> comments</span></span> : null}
                  {i.upvotes ? <span>👍 {i.upvotes}<span className="sr-only"> me too votes</span></span> : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.prevCursor || data.nextCursor || data.laterPage ? (
        <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex gap-2">
            {data.prevCursor ? (
              <Link to={withParams({ before: data.prevCursor })} className="btn-secondary" rel="prev">
                ← Previous
              </Link>
            ) : null}
            {data.laterPage ? (
              <Link to={withParams({})} className="btn-secondary">
                First page
              </Link>
            ) : null}
          </div>
          {data.nextCursor ? (
            <Link to={withParams({ after: data.nextCursor })} className="btn-secondary" rel="next">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

function Select({ label, name, value, hint, children }: { label: string; name: string; value: string; hint?: string; children: ReactNode }) {
  const id = `filter-${name}`;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="input" key={value} aria-describedby={hint ? `${id}-hint` : undefined}>
        {children}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
