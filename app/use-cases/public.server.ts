/**
 * Public page reads (anonymous visitors included): the organization's home page, the "which machine?" picker of
 * /report and the follow page of a report. Minimal shapes: no reporter or member emails, no member names beyond a
 * first name. The QR landing page and its writes are in ./reports.server.ts.
 */
import { CATEGORY_LABELS, type StatusCategory } from "../../core/issue-rules";
import { deriveMachineStatus, type MachineStatus } from "../../core/machine-status";
import { fail } from "../../core/failure";
import { listLocationsWithCounts } from "../../db/queries/locations.server";
import { listMachinesForReport, machineExists } from "../../db/queries/machines.server";
import { getFollowPage, listPublicMachines } from "../../db/queries/public.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, type Actor } from "./actor";

export const HOME_PAGE_SIZE = 48;

/** The home page: locations (with location:view) and the machines with their status (with machine:view). */
export async function loadHomePage(actor: Actor, query: { q: string; status?: MachineStatus; page: number }) {
  const { db, organizationId } = actor;
  const canLocations = actor.can("location:view");
  const canMachines = actor.can("machine:view");
  const locations = canLocations ? await listLocationsWithCounts(db, organizationId) : [];
  const machines = canMachines
    ? await listPublicMachines(db, organizationId, { ...query, pageSize: HOME_PAGE_SIZE })
    : null;
  return {
    organizationName: actor.organization.name,
    canLocations,
    canMachines,
    canReport: actor.can("issue:create"),
    isMember: Boolean(actor.membership),
    locations,
    machines: machines && {
      total: machines.total,
      page: machines.page,
      pageSize: machines.pageSize,
      rows: machines.rows.map((m) => ({
        id: m.id,
        name: m.name,
        subtitle: [m.modelName !== m.name ? m.modelName : null, m.manufacturer, m.year].filter(Boolean).join(" · "),
        locationName: m.locationName,
        openIssueCount: m.openIssueCount,
        status: deriveMachineStatus({
          openIssueCount: m.openIssueCount,
          maxOpenPriorityOrder: m.maxOpenPriorityOrder,
          topPriorityOrder: machines.topPriorityOrder,
        }),
      })),
    },
  };
}

/**
 * /report: the organization's machines grouped by location, filtered by `q`. A `machineId` of the organization
 * (old links) is answered with `{ goTo }` instead, for the route to send the visitor to that machine's page.
 */
export async function loadReportPicker(actor: Actor, query: { q: string; machineId?: string }) {
  requireCan(actor, "machine:view");
  const { db, organizationId } = actor;
  if (query.machineId && (await machineExists(db, organizationId, query.machineId))) return { goTo: query.machineId };
  const rows = await listMachinesForReport(db, organizationId, { q: query.q });
  const groups: { id: string; name: string; machines: { id: string; name: string; subtitle: string }[] }[] = [];
  for (const r of rows) {
    let group = groups.find((g) => g.id === r.locationId);
    if (!group) groups.push((group = { id: r.locationId, name: r.locationName, machines: [] }));
    const subtitle = [r.modelName !== r.name ? r.modelName : null, r.manufacturer, r.year].filter(Boolean).join(" · ");
    group.machines.push({ id: r.id, name: r.name, subtitle });
  }
  return { goTo: null, groups, total: rows.length, organizationName: actor.organization.name };
}

/** What a public timeline entry says (getFollowPage returns status-related and merge history only). */
function describeFollowEntry(entry: { type: string; field: string; newValue: string | null }): string {
  switch (entry.type) {
    case "MERGED":
      // core/issue-merge.ts MERGE_HISTORY_FIELDS; the other report is never named or linked here.
      if (entry.field === "merged_into") return "Merged with another report of the same problem";
      if (entry.field === "unmerged_from") return "Separated from the other report again";
      if (entry.field === "merged_from") return "Another report of the same problem was merged into this one";
      return "Another report was separated from this one again";
    case "CREATED":
      return "Problem reported";
    case "STATUS_CHANGED":
      return entry.newValue ? `Status changed to “${entry.newValue}”` : "Status changed";
    case "RESOLVED":
      return "Closed";
    case "REOPENED":
      return "Reopened";
    default:
      return "Updated";
  }
}

/** Where a report stands, in a sentence for the person who reported it. */
export function plainStatus(category: StatusCategory, statusName: string): string {
  switch (category) {
    case "NEW":
      return "The team has your report. Nobody has started on it yet.";
    case "IN_PROGRESS":
      return `Someone is working on it (“${statusName}”).`;
    case "RESOLVED":
      return `This problem is closed: “${statusName}”.`;
  }
}

/**
 * The follow page of a report, found by its secret token within the organization: the token is the capability, so
 * no permission is asked. The problem, its machine, where it stands and the public timeline.
 */
export async function loadFollowPage(actor: Actor, followToken: string, now = new Date()) {
  const page = await getFollowPage(actor.db, actor.organizationId, followToken);
  if (!page) throw fail.notFound("We could not find that report. Check the link you were given.");
  const { issue, mergedInto } = page;
  // A merged report is followed through the issue it joined: that one's state is what the reporter waits for.
  const current = mergedInto ?? issue;
  return {
    plainStatus: plainStatus(current.category, current.statusName),
    mergedInto: mergedInto
      ? { statusLabel: CATEGORY_LABELS[mergedInto.category], statusName: mergedInto.statusName }
      : null,
    // "E-mail me when it's fixed" while there is something left to fix.
    canSubscribe: current.category !== "RESOLVED",
    issue: {
      title: issue.title,
      category: issue.category,
      statusLabel: CATEGORY_LABELS[issue.category],
      statusName: issue.statusName,
      reportedAgo: dateFormatterFor(actor.organization).relative(issue.createdAt, now),
      reportedAt: dateFormatterFor(actor.organization).dateTime(issue.createdAt),
      reportedIso: issue.createdAt.toISOString(),
      resolvedAt: issue.resolvedAt ? dateFormatterFor(actor.organization).dateTime(issue.resolvedAt) : null,
      resolvedIso: issue.resolvedAt ? issue.resolvedAt.toISOString() : null,
      machineId: issue.machineId,
      machineName: issue.machineName,
      modelName: issue.modelName,
      locationName: issue.locationName,
    },
    timeline: page.timeline.map((t) => ({
      id: t.id,
      text: describeFollowEntry(t),
      by: t.actorFirstName,
      when: dateFormatterFor(actor.organization).dateTime(t.changedAt),
      iso: t.changedAt.toISOString(),
      ago: dateFormatterFor(actor.organization).relative(t.changedAt, now),
    })),
  };
}
