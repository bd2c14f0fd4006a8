/**
 * The baseline: what the same pages cost with no framework and no ORM. A bare `node:http` handler with hand-written
 * SQL (postgres-js with prepared statements, or the PGlite client), answering the same URLs with the same logical
 * queries as the app (organization from Host, session cookie → Session row, membership + role permissions, unread
 * notification count for signed-in users, then the page's own queries) and a plain HTML page of the same content.
 *
 * It is a yardstick, not a product: no React, no Remix routing/serialization, no zod, no security-header middleware,
 * no per-request CSP nonce. It does verify the signed session cookie, check permissions, validate input, rate-limit
 * anonymous reports and write in one transaction, so the database work matches the app's.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createId } from "@paralleldrive/cuid2";
import { ALL_PERMISSION_NAMES, expandPermissions } from "../core/permissions";
import { insightsCsv, insightsFigures, insightsHtml, readInsightsRequest } from "./baseline-insights";
import type { RawClient } from "./db";

export interface BaselineOptions {
  raw: RawClient;
  /** Cookie-signing secrets (the app's SESSION_SECRET), to verify the session cookie the app issued. */
  secrets: string[];
}

export interface BaselineServer {
  url: string;
  port: number;
  /** Statements sent so far (for the statement count). */
  statements(): number;
  close(): Promise<void>;
}

// Helpers ----------------------------------------------------------------------------------------------------------

const esc = (v: unknown) =>
  String(v ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

function subdomainOf(req: Pick<http.IncomingMessage, "headers">): string {
  const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
  if (host.endsWith(".localhost")) {
    const label = host.slice(0, -".localhost".length);
    if (SUBDOMAIN.test(label)) return label;
  }
  const header = String(req.headers["x-organization"] ?? "")
    .trim()
    .toLowerCase();
  if (header && SUBDOMAIN.test(header)) return header;
  return process.env.DEFAULT_ORG_SUBDOMAIN ?? "apc";
}

/** cookie-signature's unsign + Remix's cookie encoding (base64 JSON), with the app's secrets. */
function readSessionToken(cookieHeader: string | undefined, secrets: string[]): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    const name = part.slice(0, i).trim();
    if (name !== "__Host-pinpoint_session" && name !== "pinpoint_session") continue;
    const signed = decodeURIComponent(part.slice(i + 1).trim());
    const dot = signed.lastIndexOf(".");
    if (dot < 0) return null;
    const value = signed.slice(0, dot);
    const mac = Buffer.from(signed.slice(dot + 1));
    for (const secret of secrets) {
      const expected = Buffer.from(
        crypto.createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, ""),
      );
      if (expected.length === mac.length && crypto.timingSafeEqual(expected, mac)) {
        try {
          const token = JSON.parse(decodeURIComponent(escape(atob(value))));
          return typeof token === "string" ? token : null;
        } catch {
          return null;
        }
      }
    }
    return null;
  }
  return null;
}

async function readBody(req: http.IncomingMessage, max = 6 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw Object.assign(new Error("too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readForm(req: http.IncomingMessage): Promise<FormData> {
  const body = await readBody(req);
  return new Response(new Uint8Array(body), {
    headers: { "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded" },
  }).formData();
}

function str(form: FormData, key: string, max = 20_000): string {
  const v = form.get(key);
  return typeof v === "string" ? v.slice(0, max) : "";
}

const rateBuckets = new Map<string, { count: number; resetAt: number }>();
function allowed(key: string, limit: number, windowMs: number): boolean {
  const now = Date.now();
  let b = rateBuckets.get(key);
  if (!b || b.resetAt <= now) {
    b = { count: 0, resetAt: now + windowMs };
    rateBuckets.set(key, b);
  }
  b.count += 1;
  const m = Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1);
  return b.count <= limit * (Number.isFinite(m) && m > 0 ? m : 1);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(
    title,
  )}</title></head><body><header><nav><a href="/">PinPoint</a> <a href="/issues">Issues</a> <a href="/machines">Machines</a></nav></header><main>${body}</main></body></html>`;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly location?: string,
  ) {
    super(message);
  }
}

// Access -----------------------------------------------------------------------------------------------------------

interface Access {
  org: { id: string; name: string; subdomain: string };
  user: { id: string; name: string | null } | null;
  member: boolean;
  perms: Set<string>;
  unread: number;
}

async function resolveAccess(
  q: RawClient,
  req: Pick<http.IncomingMessage, "headers">,
  secrets: string[],
  withUnread: boolean,
): Promise<Access> {
  let user: Access["user"] = null;
  const token = readSessionToken(req.headers.cookie, secrets);
  if (token) {
    const [row] = await q.query<{
      sessionId: string;
      expires: Date;
      lastSeenAt: Date;
      userId: string;
      name: string | null;
    }>(
      `select s.id as "sessionId", s.expires, s."lastSeenAt", u.id as "userId", u.name, u.email
         from "Session" s join "User" u on u.id = s."userId" where s."sessionToken" = $1 limit 1`,
      [crypto.createHash("sha256").update(token).digest("hex")],
    );
    if (row && new Date(row.expires).getTime() > Date.now()) user = { id: row.userId, name: row.name };
  }
  const notFound = () => new HttpError(404, "There is no organization at this address.");
  // Like ours (app/lib/access.server.ts): without a session, the organization and its visitor role in one statement.
  if (!user) {
    const rows = await q.query<{ id: string; name: string; subdomain: string; permission: string | null }>(
      `select o.id, o.name, o.subdomain, o."logoUrl", o."timeZone", o.locale, r.id as "roleId", p.name as permission
         from "Organization" o left join "Role" r on r."organizationId" = o.id and r.name = 'Unauthenticated'
         left join "_RolePermissions" rp on rp."B" = r.id left join "Permission" p on p.id = rp."A"
        where o.subdomain = $1`,
      [subdomainOf(req)],
    );
    if (!rows.length) throw notFound();
    const org = { id: rows[0].id, name: rows[0].name, subdomain: rows[0].subdomain };
    const perms = expandPermissions(rows.map((r) => r.permission).filter(Boolean) as string[]);
    return { org, user, member: false, perms: new Set(perms), unread: 0 };
  }
  const [org] = await q.query<{ id: string; name: string; subdomain: string }>(
    `select id, name, subdomain, "logoUrl", "timeZone", locale from "Organization" where subdomain = $1 limit 1`,
    [subdomainOf(req)],
  );
  if (!org) throw notFound();
  let perms: string[] = [];
  const memberRows = await q.query<{ roleName: string; isSystem: boolean; permission: string | null }>(
    `select m.id as "membershipId", r.id as "roleId", r.name as "roleName", r."isSystem", p.name as permission
       from "Membership" m join "Role" r on r.id = m."roleId"
       left join "_RolePermissions" rp on rp."B" = r.id left join "Permission" p on p.id = rp."A"
      where m."userId" = $1 and m."organizationId" = $2`,
    [user.id, org.id],
  );
  const member = memberRows.length > 0;
  if (member) {
    const admin = memberRows[0].isSystem && memberRows[0].roleName === "Admin";
    perms = admin
      ? [...ALL_PERMISSION_NAMES]
      : expandPermissions(memberRows.map((r) => r.permission).filter(Boolean) as string[]);
  }
  if (!member) {
    const rows = await q.query<{ permission: string | null }>(
      `select r.id, p.name as permission from "Role" r
         left join "_RolePermissions" rp on rp."B" = r.id left join "Permission" p on p.id = rp."A"
        where r."organizationId" = $1 and r.name = 'Unauthenticated'`,
      [org.id],
    );
    perms = expandPermissions(rows.map((r) => r.permission).filter(Boolean) as string[]);
  }
  let unread = 0;
  if (withUnread && user) {
    const [row] = await q.query<{ n: number }>(
      `select count(*)::int as n from "Notification" where "userId" = $1 and "organizationId" = $2 and read = false`,
      [user.id, org.id],
    );
    unread = Number(row?.n ?? 0);
  }
  return { org, user, member, perms: new Set(perms), unread };
}

function require(access: Access, permission: string, memberOnly = false): void {
  if (access.perms.has(permission) && (!memberOnly || access.member)) return;
  if (!access.user) throw new HttpError(302, "sign in", "/login");
  throw new HttpError(403, "Forbidden");
}

// Pages -----------------------------------------------------------------------------------------------------------

async function machinePage(q: RawClient, access: Access, machineId: string): Promise<string> {
  require(access, "machine:view");
  const orgId = access.org.id;
  const [machine] = await q.query<{
    id: string;
    name: string;
    modelName: string;
    manufacturer: string | null;
    year: number | null;
    locationName: string;
    presence: string;
    topOrder: number | null;
  }>(
    `select m.id, m.name, mo.name as "modelName", mo.manufacturer, mo.year, l.id as "locationId", l.name as "locationName", l.city, m.presence,
            (select max(p."order") from "Priority" p where p."organizationId" = m."organizationId") as "topOrder"
       from "Machine" m join "Model" mo on mo.id = m."modelId" join "Location" l on l.id = m."locationId"
      where m.id = $1 and m."organizationId" = $2 limit 1`,
    [machineId, orgId],
  );
  if (!machine) throw new HttpError(404, "We could not find that machine.");
  const open = await q.query<{
    id: string;
    title: string;
    category: string;
    statusName: string;
    priorityOrder: number;
    createdAt: Date;
    upvoteCount: number;
  }>(
    `select i.id, i.title, s.category, s.name as "statusName", p."order" as "priorityOrder", i."createdAt", coalesce(v.n, 0) as "upvoteCount"
       from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
       left join (select u."issueId", count(*)::int as n from "Upvote" u join "Issue" i2 on i2.id = u."issueId"
                   where i2."organizationId" = $1 and i2."machineId" = $2 group by u."issueId") v on v."issueId" = i.id
      where i."organizationId" = $1 and i."machineId" = $2 and s.category <> 'RESOLVED'
      order by p."order" desc, i."createdAt" desc limit 100`,
    [orgId, machineId],
  );
  const fixed = await q.query<{ id: string; title: string; resolvedAt: Date }>(
    `select i.id, i.title, i."resolvedAt" from "Issue" i join "IssueStatus" s on s.id = i."statusId"
      where i."organizationId" = $1 and i."machineId" = $2 and s.category = 'RESOLVED' and i."resolvedAt" >= $3
      order by i."resolvedAt" desc limit 3`,
    [orgId, machineId, new Date(Date.now() - 30 * 86_400_000)],
  );
  const topOrder = machine.topOrder == null ? null : Number(machine.topOrder);
  const down = open.some((i) => topOrder !== null && i.priorityOrder >= topOrder);
  const status = down ? "Out of order" : open.length ? "Has known problems" : "Working";
  const canView = access.perms.has("issue:view");
  const items = canView
    ? open
        .map(
          (i) =>
            `<li id="issue-${esc(i.id)}" class="card"><p class="title">${esc(i.title)}</p><p class="meta">${esc(i.category === "NEW" ? "Open" : "In progress")} (${esc(
              i.statusName,
            )}) · reported <time datetime="${new Date(i.createdAt).toISOString().slice(0, 10)}">${new Date(i.createdAt).toISOString().slice(0, 10)}</time>${
              Number(i.upvoteCount) > 0 ? ` · ${Number(i.upvoteCount)} people said me too` : ""
            }</p><form method="post"><input type="hidden" name="intent" value="metoo"><input type="hidden" name="issueId" value="${esc(
              i.id,
            )}"><button type="submit" aria-label="Me too: ${esc(i.title)}">Me too</button></form></li>`,
        )
        .join("")
    : "";
  const fixedList = canView
    ? fixed.map((i) => `<li>${esc(i.title)} · fixed ${new Date(i.resolvedAt).toISOString().slice(0, 10)}</li>`).join("")
    : "";
  return page(
    `${machine.name} · Report a problem`,
    `<p>${esc(machine.locationName)}</p><h1>${esc(machine.name)}</h1><p>${esc([machine.modelName, machine.manufacturer, machine.year].filter(Boolean).join(" · "))}</p>
     <p class="status">${status}</p><section><h2>Known problems (${open.length})</h2><ul>${items}</ul>
     <details><summary>Recently fixed (${fixed.length})</summary><ul>${fixedList}</ul></details></section>
     ${
       machine.presence === "on_floor"
         ? `     <section id="report"><h2>Report a problem</h2><form method="post" enctype="multipart/form-data"><input type="hidden" name="intent" value="report">
     <label>What’s wrong? <input name="title" required maxlength="255"></label><label>Details (optional) <textarea name="description" rows="3" maxlength="2000"></textarea></label>
     <label>Photo (optional) <input type="file" name="photo" accept="image/jpeg,image/png,image/webp"></label><label>Your name (optional) <input name="name"></label>
     <label>E-mail (optional) <input name="email" type="email"></label><div hidden><input name="website" tabindex="-1"></div><button type="submit">Send report</button></form></section>`
         : "<p>This machine is not on the floor right now.</p>"
     }`,
  );
}

const CATEGORY: Record<string, string> = {
  active: "active",
  open: "NEW",
  "in-progress": "IN_PROGRESS",
  closed: "RESOLVED",
  all: "all",
};

async function issueList(q: RawClient, access: Access, url: URL): Promise<string> {
  require(access, "issue:view", true);
  const user = access.user as NonNullable<Access["user"]>;
  const orgId = access.org.id;
  const p = url.searchParams;
  const idp = (v: string | null) => (v && ID.test(v) ? v : undefined);
  const statusIds = p
    .getAll("status")
    .map(idp)
    .filter((s): s is string => Boolean(s))
    .slice(0, 20);
  const category = statusIds.length ? "all" : (CATEGORY[p.get("category") ?? "active"] ?? "active");
  const assignee = p.get("assignee");
  const reporter = p.get("reporter");
  const search = (p.get("q") ?? "").trim().slice(0, 200);
  let sort = p.get("sort") === "updated" ? `i."updatedAt"` : `i."createdAt"`;
  const dir = p.get("dir") === "asc" ? "asc" : "desc";
  // As the app (docs/decisions/038-trigram-search-and-duplicate-guard.md): a search without quotes, "-word" or "or"
  // also matches titles by trigram word similarity (typos) and, from three characters on, the machines, models and
  // members whose names contain it (looked up first, so the list carries their ids) and guests' names and addresses.
  const syntax = /["]|(^|\s)-\S|\sor\s/i.test(search);
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let names: { machineIds: string[] | null; userIds: string[] | null } | null = null;
  if (search.length >= 3 && !syntax) {
    [names] = await q.query<{ machineIds: string[] | null; userIds: string[] | null }>(
      `select array(select m.id from "Machine" m left join "Model" mo on mo.id = m."modelId"
                     where m."organizationId" = $1 and (m.name ilike $2 or mo.name ilike $2)) as "machineIds",
              array(select ms."userId" from "Membership" ms join "User" u on u.id = ms."userId"
                     where ms."organizationId" = $1 and (u.name ilike $2 or u.email ilike $2)) as "userIds"`,
      [orgId, like],
    );
  }

  const params: unknown[] = [orgId];
  const common: string[] = [`i."organizationId" = $1`];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const priority = idp(p.get("priority"));
  if (priority) common.push(`i."priorityId" = ${bind(priority)}`);
  const machine = idp(p.get("machine"));
  if (machine) common.push(`i."machineId" = ${bind(machine)}`);
  const location = idp(p.get("location"));
  if (location) common.push(`m."locationId" = ${bind(location)}`);
  if (assignee === "unassigned") common.push(`i."assignedToId" is null`);
  else if (assignee === "me") common.push(`i."assignedToId" = ${bind(user.id)}`);
  else if (idp(assignee)) common.push(`i."assignedToId" = ${bind(assignee)}`);
  if (reporter === "anonymous") common.push(`i."createdById" is null`);
  else if (reporter === "me") common.push(`i."createdById" = ${bind(user.id)}`);
  else if (idp(reporter)) common.push(`i."createdById" = ${bind(reporter)}`);
  if (search) {
    const term = bind(search);
    const doc = `to_tsvector('english', i."title" || ' ' || coalesce(i."description", ''))`;
    const arms = [`${doc} @@ websearch_to_tsquery('english', ${term})`];
    if (!syntax) arms.push(`${term} <% i."title"`);
    if (names) {
      if (names.machineIds?.length) arms.push(`i."machineId" = any(${bind(names.machineIds)})`);
      if (names.userIds?.length) arms.push(`i."createdById" = any(${bind(names.userIds)})`);
      arms.push(`(coalesce(i."submitterName", '') || ' ' || coalesce(i."reporterEmail", '')) ilike ${bind(like)}`);
    }
    common.push(`(${arms.join(" or ")})`);
    // Ranked unless an order was chosen: full-text rank, then the title's word similarity (one integer, as the app).
    if (!p.get("sort") || p.get("sort") === "relevance")
      sort = `(least(floor(ts_rank(${doc}, websearch_to_tsquery('english', ${term})) * 1000), 20000) * 100000
        + floor(word_similarity(${term}, i."title") * 99999))::int`;
  }
  const countParams = [...params];
  const listWhere = [...common];
  if (statusIds.length) listWhere.push(`i."statusId" = any(${bind(statusIds)})`);
  if (category === "active") listWhere.push(`s.category <> 'RESOLVED'`);
  else if (category !== "all") listWhere.push(`s.category = ${bind(category)}`);

  const [rows, counts, statuses, priorities, machineRows, locations, members] = await Promise.all([
    q.query<Record<string, unknown>>(
      `select i.id, i.title, i."createdAt", i."updatedAt", i."resolvedAt", s.id as "statusId", s.name as "statusName", s.category,
              p.id as "priorityId", p.name as "priorityName", p."order" as "priorityOrder", m.id as "machineId", m.name as "machineName",
              l.id as "locationId", l.name as "locationName", a.id as "assigneeId", a.name as "assigneeName", r.id as "reporterId",
              r.name as "reporterName", i."submitterName",
              (select count(*)::int from "Upvote" u where u."issueId" = i.id) as upvotes,
              (select count(*)::int from "Comment" c where c."issueId" = i.id and c."deletedAt" is null) as comments
         from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
         join "Machine" m on m.id = i."machineId" join "Location" l on l.id = m."locationId"
         left join "User" a on a.id = i."assignedToId" left join "User" r on r.id = i."createdById"
        where ${listWhere.join(" and ")}
        order by ${sort} ${dir}, i.id ${dir} limit 26`,
      params,
    ),
    // As the app: a search stops counting at 1,000 matches; Machine is joined only for the location filter.
    q.query<{ category: string; n: number }>(
      `select category, count(*)::int as n from (
         select s.category from "Issue" i join "IssueStatus" s on s.id = i."statusId"${location ? ` join "Machine" m on m.id = i."machineId"` : ""}
          where ${common.join(" and ")}${search ? " limit 1001" : ""}) matching group by category`,
      countParams,
    ),
    q.query<{ id: string; name: string; category: string }>(
      `select id, name, category, "isDefault", "sortOrder" from "IssueStatus" where "organizationId" = $1 order by "sortOrder", name, id`,
      [orgId],
    ),
    q.query<{ id: string; name: string }>(
      `select id, name, "order", "isDefault", "sortOrder" from "Priority" where "organizationId" = $1 order by "sortOrder", "order", name, id`,
      [orgId],
    ),
    // As the app: at most 300 machines in the picker (those of the chosen location), else "choose a location first".
    q.query<{ id: string; name: string; locationId: string; locationName: string }>(
      `select m.id, m.name, m."locationId", l.name as "locationName" from "Machine" m join "Location" l on l.id = m."locationId"
        where m."organizationId" = $1${location ? ` and m."locationId" = $2` : ""} order by l.name, m.name, m.id limit 301`,
      location ? [orgId, location] : [orgId],
    ),
    q.query<{ id: string; name: string }>(
      `select id, name from "Location" where "organizationId" = $1 order by name, id`,
      [orgId],
    ),
    q.query<{ id: string; name: string | null }>(
      `select u.id, u.name from "Membership" ms join "User" u on u.id = ms."userId" where ms."organizationId" = $1 order by u.name, u.id`,
      [orgId],
    ),
  ]);
  const n = (c: string) => Number(counts.find((x) => x.category === c)?.n ?? 0);
  const opt = (id: string, label: string, selected: string | null) =>
    `<option value="${esc(id)}"${id === selected ? " selected" : ""}>${esc(label)}</option>`;
  let machines = machineRows.length > 300 ? [] : machineRows;
  if (machine && !machines.some((m) => m.id === machine)) {
    machines = [
      ...(await q.query<{ id: string; name: string; locationId: string; locationName: string }>(
        `select m.id, m.name, m."locationId", l.name as "locationName" from "Machine" m join "Location" l on l.id = m."locationId"
          where m."organizationId" = $1 and m.id = $2`,
        [orgId, machine],
      )),
      ...machines,
    ];
  }
  const capped = search && n("NEW") + n("IN_PROGRESS") + n("RESOLVED") > 1000;
  const items = rows
    .slice(0, 25)
    .map(
      (i) =>
        `<li class="row"><a href="/issues/${esc(i.id)}">${esc(i.title)}</a> <span class="badge">${esc(i.statusName)}</span> <span>${esc(
          i.priorityName,
        )}</span> <span>${esc(i.machineName)} · ${esc(i.locationName)}</span> <span>${esc(i.assigneeName ?? "Unassigned")}</span> <span>${esc(
          i.reporterName ?? (i.submitterName ? `${i.submitterName} (guest)` : "Anonymous"),
        )}</span> <time datetime="${new Date(i.createdAt as Date).toISOString()}">${new Date(i.createdAt as Date).toISOString().slice(0, 10)}</time> <span>${Number(
          i.upvotes,
        )} me too · ${Number(i.comments)} comments</span></li>`,
    )
    .join("");
  return page(
    "Issues · PinPoint",
    `<h1>Issues</h1><p>${access.unread} unread notifications</p>${
      capped
        ? "<nav>Active Open In progress Closed All</nav><p>More than 1,000 issues match this search.</p>"
        : `<nav>Active (${n("NEW") + n("IN_PROGRESS")}) Open (${n("NEW")}) In progress (${n("IN_PROGRESS")}) Closed (${n("RESOLVED")}) All (${
            n("NEW") + n("IN_PROGRESS") + n("RESOLVED")
          })</nav>`
    }
     <form method="get"><input name="q" value="${esc(search)}"><select name="status"><option value="">Any status</option>${statuses
       .map((s) => opt(s.id, s.name, statusIds[0] ?? null))
       .join("")}</select><select name="priority"><option value="">Any priority</option>${priorities
       .map((x) => opt(x.id, x.name, priority ?? null))
       .join("")}</select><select name="machine"><option value="">Any machine</option>${machines
       .map((m) => opt(m.id, `${m.name} (${m.locationName})`, machine ?? null))
       .join("")}</select><select name="location"><option value="">Any location</option>${locations
       .map((l) => opt(l.id, l.name, location ?? null))
       .join("")}</select><select name="assignee"><option value="">Anyone</option>${members
       .map((m) => opt(m.id, m.name ?? "Unnamed member", assignee))
       .join("")}</select><button>Filter</button></form><ul>${items || "<li>No issues match.</li>"}</ul>${
       rows.length > 25 ? `<a href="?after=next">Next page</a>` : ""
     }`,
  );
}

async function issueDetail(q: RawClient, access: Access, issueId: string): Promise<string> {
  require(access, "issue:view");
  const orgId = access.org.id;
  const [issue] = await q.query<Record<string, unknown>>(
    `select i.id, i.title, i.description, i.consistency, i."createdAt", i."updatedAt", i."resolvedAt", i."reporterEmail", i."submitterName",
            s.id as "statusId", s.name as "statusName", s.category, p.id as "priorityId", p.name as "priorityName", p."order" as "priorityOrder",
            m.id as "machineId", m.name as "machineName", m."ownerId", mo.name as "modelName", l.id as "locationId", l.name as "locationName",
            a.id as "assigneeId", a.name as "assigneeName", r.id as "reporterId", r.name as "reporterName",
            (select count(*)::int from "Upvote" u where u."issueId" = i.id) as upvotes, i."mergedIntoId",
            exists (select 1 from "Issue" d where d."mergedIntoId" = i.id and d."organizationId" = i."organizationId") as "hasDuplicates"
       from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
       join "Machine" m on m.id = i."machineId" join "Location" l on l.id = m."locationId" left join "Model" mo on mo.id = m."modelId"
       left join "User" a on a.id = i."assignedToId" left join "User" r on r.id = i."createdById"
      where i.id = $1 and i."organizationId" = $2 limit 1`,
    [issueId, orgId],
  );
  if (!issue) throw new HttpError(404, "We could not find that issue.");
  const can = (perm: string) => access.member && access.perms.has(perm);
  // Like ours: the merge lookups only for merged issues and merge targets (none in the bench data), the merge choices
  // only when the form is opened (not in the bench's requests); whether the member watches the issue.
  if (issue.mergedIntoId || issue.hasDuplicates) throw new HttpError(501, "The baseline does not show merges.");
  const [comments, history, attachments, statuses, priorities, members, watching] = await Promise.all([
    q.query<Record<string, unknown>>(
      `select c.id, c.content, c."createdAt", c."updatedAt", c."deletedAt", au.id as "authorId", au.name as "authorName", d.name as "deletedByName"
         from "Comment" c join "Issue" i on i.id = c."issueId" join "User" au on au.id = c."authorId" left join "User" d on d.id = c."deletedBy"
        where c."issueId" = $1 and i."organizationId" = $2 and c."deletedAt" is null order by c."createdAt", c.id`,
      [issueId, orgId],
    ),
    q.query<Record<string, unknown>>(
      `select h.id, h.type, h.field, h."oldValue", h."newValue", h."changedAt", u.id as "actorId", u.name as "actorName"
         from "IssueHistory" h left join "User" u on u.id = h."actorId"
        where h."issueId" = $1 and h."organizationId" = $2 and h.type <> 'COMMENTED' order by h."changedAt", h.id`,
      [issueId, orgId],
    ),
    access.perms.has("attachment:view")
      ? q.query<Record<string, unknown>>(
          `select id, "fileName", "fileType", "createdAt" from "Attachment" where "issueId" = $1 and "organizationId" = $2 order by "createdAt", id`,
          [issueId, orgId],
        )
      : Promise.resolve([]),
    can("issue:edit")
      ? q.query<{ id: string; name: string }>(
          `select id, name, category from "IssueStatus" where "organizationId" = $1 order by "sortOrder", name, id`,
          [orgId],
        )
      : Promise.resolve([]),
    can("issue:edit")
      ? q.query<{ id: string; name: string }>(
          `select id, name from "Priority" where "organizationId" = $1 order by "sortOrder", "order", name, id`,
          [orgId],
        )
      : Promise.resolve([]),
    can("issue:assign")
      ? q.query<{ id: string; name: string | null }>(
          `select u.id, u.name from "Membership" ms join "User" u on u.id = ms."userId" where ms."organizationId" = $1 order by u.name, u.id`,
          [orgId],
        )
      : Promise.resolve([]),
    access.member && access.user
      ? q.query<{ id: string }>(
          `select id from "Watch" where "organizationId" = $1 and "userId" = $2 and "issueId" = $3 limit 1`,
          [orgId, access.user.id, issueId],
        )
      : Promise.resolve([]),
  ]);
  const timeline = [
    ...history.map((h) => ({
      at: new Date(h.changedAt as Date),
      html: `<li><b>${esc(h.actorName ?? "Someone")}</b> ${esc(String(h.type).toLowerCase())} ${esc(h.oldValue ?? "")} → ${esc(h.newValue ?? "")}</li>`,
    })),
    ...comments.map((c) => ({
      at: new Date(c.createdAt as Date),
      html: `<li class="comment"><b>${esc(c.authorName)}</b><p>${esc(c.content)}</p></li>`,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return page(
    `${issue.title} · Issues · PinPoint`,
    `<p>${access.unread} unread notifications</p><h1>${esc(issue.title)}</h1><p>${esc(issue.machineName)} (${esc(issue.modelName)}) · ${esc(issue.locationName)}</p>
     <p>Status ${esc(issue.statusName)} · Priority ${esc(issue.priorityName)} · ${Number(issue.upvotes)} me too</p><p>${esc(issue.description)}</p>
     <p>Reported by ${esc(issue.reporterName ?? issue.submitterName ?? "a guest")} ${can("issue:edit") ? esc(issue.reporterEmail ?? "") : ""} · assigned to ${esc(
       issue.assigneeName ?? "nobody",
     )}</p>
     <form method="post"><input type="hidden" name="intent" value="status"><select name="statusId">${statuses
       .map((s) => `<option value="${esc(s.id)}"${s.id === issue.statusId ? " selected" : ""}>${esc(s.name)}</option>`)
       .join("")}</select><button>Change status</button></form>
     <form method="post"><input type="hidden" name="intent" value="priority"><select name="priorityId">${priorities
       .map((x) => `<option value="${esc(x.id)}">${esc(x.name)}</option>`)
       .join("")}</select><button>Change priority</button></form>
     <form method="post"><input type="hidden" name="intent" value="assign"><select name="assigneeId">${members
       .map((m) => `<option value="${esc(m.id)}">${esc(m.name)}</option>`)
       .join("")}</select><button>Assign</button></form>
     <form method="post"><input type="hidden" name="intent" value="watch"><button name="watch" value="${watching.length ? "off" : "on"}">${
       watching.length ? "Stop watching" : "Watch"
     }</button></form>
     ${can("issue:edit") ? `<p><a href="?merge=1">Merge into another issue</a></p>` : ""}
     <section><h2>Photos (${attachments.length})</h2></section><section><h2>Activity</h2><ol>${timeline.map((t) => t.html).join("")}</ol></section>
     <form method="post"><input type="hidden" name="intent" value="comment"><textarea name="content"></textarea><button>Comment</button></form>`,
  );
}

// Writes ------------------------------------------------------------------------------------------------------------

async function report(q: RawClient, access: Access, req: http.IncomingMessage, machineId: string): Promise<string> {
  require(access, "issue:create");
  const orgId = access.org.id;
  const [exists] = await q.query(`select id from "Machine" where id = $1 and "organizationId" = $2 limit 1`, [
    machineId,
    orgId,
  ]);
  if (!exists) throw new HttpError(404, "We could not find that machine.");
  const form = await readForm(req);
  if (form.get("intent") !== "report") throw new HttpError(400, "Unknown action.");
  if (str(form, "website").trim() !== "") return `/m/${encodeURIComponent(machineId)}?thanks=1`;
  const title = str(form, "title").trim();
  const description = str(form, "description").trim();
  const name = str(form, "name").trim();
  const email = str(form, "email").trim().toLowerCase();
  if (
    !title ||
    title.length > 255 ||
    description.length > 2000 ||
    name.length > 100 ||
    (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
  ) {
    throw new HttpError(400, "Please check the highlighted fields.");
  }
  if (!access.member) {
    const ip = req.socket.remoteAddress ?? "unknown";
    const ok = allowed(`report:ip:${ip}`, 10, 3_600_000) && allowed(`report:machine:${machineId}`, 20, 3_600_000);
    if (!ok) throw new HttpError(429, "Too many reports");
  }
  const userId = access.member && access.user ? access.user.id : null;
  return q.transaction(async (tx) => {
    const [machine] = await tx.query<{
      id: string;
      name: string;
      ownerId: string | null;
      ownerNotificationsEnabled: boolean;
      notifyOnNewIssues: boolean;
      modelName: string;
    }>(
      `select m.id, m.name, m."ownerId", m."ownerNotificationsEnabled", m."notifyOnNewIssues", mo.name as "modelName"
         from "Machine" m join "Model" mo on mo.id = m."modelId" where m.id = $1 and m."organizationId" = $2 limit 1`,
      [machineId, orgId],
    );
    if (!machine) throw new HttpError(404, "We could not find that machine.");
    const [status] = await tx.query<{ id: string }>(
      `select id, name from "IssueStatus" where "organizationId" = $1 order by "isDefault" desc, (category = 'NEW') desc, "sortOrder", name limit 1`,
      [orgId],
    );
    const [priority] = await tx.query<{ id: string }>(
      `select id from "Priority" where "organizationId" = $1 order by "isDefault" desc, "order" limit 1`,
      [orgId],
    );
    if (!status || !priority) throw new HttpError(409, "Reports cannot be taken right now.");
    const [issue] = await tx.query<{ id: string; followToken: string }>(
      `insert into "Issue" (id, title, description, "organizationId", "machineId", "statusId", "priorityId", "createdById", "submitterName", "reporterEmail", "followToken")
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id, "followToken"`,
      [
        createId(),
        title,
        description || null,
        orgId,
        machineId,
        status.id,
        priority.id,
        userId,
        userId ? null : name || null,
        userId ? null : email || null,
        createId(),
      ],
    );
    await tx.query(
      `insert into "IssueHistory" (id, "organizationId", "issueId", type, field, "oldValue", "newValue", "actorId") values ($1, $2, $3, 'CREATED', 'status', null, 'created', $4)`,
      [createId(), orgId, issue.id, userId],
    );
    if (machine.ownerId && machine.ownerNotificationsEnabled && machine.notifyOnNewIssues) {
      await tx.query(
        `insert into "Notification" (id, "userId", type, message, "entityType", "entityId", "actionUrl", "organizationId") values ($1, $2, 'ISSUE_CREATED', $3, 'ISSUE', $4, $5, $6)`,
        [
          createId(),
          machine.ownerId,
          `New issue on your ${machine.name} (${machine.modelName}): ${title}`.slice(0, 300),
          issue.id,
          `/issues/${issue.id}`,
          orgId,
        ],
      );
    }
    return `/follow/${encodeURIComponent(issue.followToken)}?new=1`;
  });
}

async function changeStatus(
  q: RawClient,
  access: Access,
  req: http.IncomingMessage,
  issueId: string,
): Promise<{ ok: boolean; message: string }> {
  const form = await readForm(req);
  if (form.get("intent") !== "status") throw new HttpError(400, "Unknown action.");
  require(access, "issue:edit", true);
  const actor = access.user as NonNullable<Access["user"]>;
  const statusId = str(form, "statusId").trim();
  if (!ID.test(statusId)) throw new HttpError(400, "Choose a status");
  const orgId = access.org.id;
  return q.transaction(async (tx) => {
    const [issue] = await tx.query<{ id: string; statusId: string; resolvedAt: Date | null }>(
      `select id, title, description, "statusId", "priorityId", "assignedToId", "resolvedAt", "organizationId" from "Issue"
        where id = $1 and "organizationId" = $2 for update`,
      [issueId, orgId],
    );
    if (!issue) throw new HttpError(404, "That issue does not exist.");
    const rows = await tx.query<{ id: string; name: string; category: string }>(
      `select id, name, category, "organizationId" from "IssueStatus" where "organizationId" = $1 and id = any($2)`,
      [orgId, [issue.statusId, statusId]],
    );
    const current = rows.find((s) => s.id === issue.statusId);
    const target = rows.find((s) => s.id === statusId);
    if (!target || !current) throw new HttpError(404, "That status does not exist.");
    if (target.id === current.id) return { ok: true, message: `Already “${target.name}”.` };
    const now = new Date();
    const resolvedAt =
      target.category === "RESOLVED" ? (current.category === "RESOLVED" ? (issue.resolvedAt ?? now) : now) : null;
    const type =
      target.category === "RESOLVED" && current.category !== "RESOLVED"
        ? "RESOLVED"
        : current.category === "RESOLVED" && target.category !== "RESOLVED"
          ? "REOPENED"
          : "STATUS_CHANGED";
    await tx.query(
      `update "Issue" set "statusId" = $1, "resolvedAt" = $2, "updatedAt" = $3 where id = $4 and "organizationId" = $5`,
      [target.id, resolvedAt, now, issue.id, orgId],
    );
    await tx.query(
      `insert into "IssueHistory" (id, "organizationId", "issueId", "actorId", type, field, "oldValue", "newValue", "changedAt")
       values ($1, $2, $3, $4, $5, 'status', $6, $7, $8)`,
      [createId(), orgId, issue.id, actor.id, type, current.name, target.name, now],
    );
    const [parties] = await tx.query<{
      title: string;
      machineName: string;
      ownerId: string | null;
      ownerNotificationsEnabled: boolean;
      notifyOnStatusChanges: boolean;
      ownerMembershipId: string | null;
      reporterId: string | null;
      reporterMembershipId: string | null;
    }>(
      `select i.id, i.title, m.name as "machineName", mo.name as "modelName", m."ownerId", m."ownerNotificationsEnabled", m."notifyOnStatusChanges",
              om.id as "ownerMembershipId", i."createdById" as "reporterId", rm.id as "reporterMembershipId", i."assignedToId", am.id as "assigneeMembershipId"
         from "Issue" i join "Machine" m on m.id = i."machineId" left join "Model" mo on mo.id = m."modelId"
         left join "Membership" om on om."userId" = m."ownerId" and om."organizationId" = i."organizationId"
         left join "Membership" rm on rm."userId" = i."createdById" and rm."organizationId" = i."organizationId"
         left join "Membership" am on am."userId" = i."assignedToId" and am."organizationId" = i."organizationId"
        where i.id = $1 and i."organizationId" = $2 limit 1`,
      [issue.id, orgId],
    );
    const recipients: { userId: string; message: string }[] = [];
    const t = `“${parties.title.length > 80 ? `${parties.title.slice(0, 79)}…` : parties.title}”`;
    if (
      parties.ownerId &&
      parties.ownerMembershipId &&
      parties.ownerNotificationsEnabled &&
      parties.notifyOnStatusChanges &&
      parties.ownerId !== actor.id
    ) {
      recipients.push({
        userId: parties.ownerId,
        message: `Status of ${t} on your ${parties.machineName} changed: ${current.name} → ${target.name}`,
      });
    }
    if (
      parties.reporterId &&
      parties.reporterMembershipId &&
      parties.reporterId !== actor.id &&
      !recipients.some((r) => r.userId === parties.reporterId)
    ) {
      recipients.push({
        userId: parties.reporterId,
        message: `Your report ${t} (${parties.machineName}) changed status: ${current.name} → ${target.name}`,
      });
    }
    if (recipients.length) {
      const values: unknown[] = [];
      const tuples = recipients.map((r, i) => {
        values.push(createId(), r.userId, r.message, issue.id, `/issues/${issue.id}`, orgId);
        const b = i * 6;
        return `($${b + 1}, $${b + 2}, 'ISSUE_UPDATED', $${b + 3}, 'ISSUE', $${b + 4}, $${b + 5}, $${b + 6})`;
      });
      await tx.query(
        `insert into "Notification" (id, "userId", type, message, "entityType", "entityId", "actionUrl", "organizationId") values ${tuples.join(", ")}`,
        values,
      );
    }
    return { ok: true, message: `Status changed to “${target.name}”.` };
  });
}

/** A GET answer of the baseline, also used by the framework floor (bench/floor.tsx). */
export interface BaselineAnswer {
  status: number;
  type: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * The read scenarios (QR redirect, machine page, issue list, issue detail, reliability page): null for other URLs. Only the request's
 * headers are read, so the floor can pass the headers of a Fetch API request.
 */
export async function answerBaselineGet(
  q: RawClient,
  secrets: string[],
  req: Pick<http.IncomingMessage, "headers">,
  url: URL,
): Promise<BaselineAnswer | null> {
  const path = url.pathname;
  const html = (body: string): BaselineAnswer => ({ status: 200, type: "text/html; charset=utf-8", body, headers: {} });
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/m\/([^/]+)$/))) {
    const access = await resolveAccess(q, req, secrets, true);
    return html(await machinePage(q, access, decodeURIComponent(m[1])));
  }
  if ((m = path.match(/^\/qr\/([^/]+)$/))) {
    const access = await resolveAccess(q, req, secrets, false);
    const [row] = await q.query<{ id: string }>(
      `select id, name from "Machine" where "qrCodeId" = $1 and "organizationId" = $2 limit 1`,
      [decodeURIComponent(m[1]), access.org.id],
    );
    if (!row) throw new HttpError(404, "This QR code is not valid (anymore).");
    return {
      status: 302,
      type: "text/plain",
      body: "",
      headers: { location: `/m/${encodeURIComponent(row.id)}`, "cache-control": "no-store" },
    };
  }
  if (path === "/issues") {
    const access = await resolveAccess(q, req, secrets, true);
    return html(await issueList(q, access, url));
  }
  if (path === "/insights" || path === "/insights.csv") {
    const access = await resolveAccess(q, req, secrets, path === "/insights");
    require(access, "issue:view", true);
    const figures = await insightsFigures(q, access.org.id, readInsightsRequest(url.searchParams), new Date());
    if (path === "/insights.csv")
      return { status: 200, type: "text/csv; charset=utf-8", body: insightsCsv(figures, access.org.name), headers: {} };
    return html(page("Reliability · PinPoint", insightsHtml(figures, esc)));
  }
  if ((m = path.match(/^\/issues\/([^/.]+)$/))) {
    const id = decodeURIComponent(m[1]);
    if (!ID.test(id)) throw new HttpError(404, "We could not find that issue.");
    const access = await resolveAccess(q, req, secrets, true);
    return html(await issueDetail(q, access, id));
  }
  return null;
}

// Server ------------------------------------------------------------------------------------------------------------

export async function startBaselineServer(opts: BaselineOptions): Promise<BaselineServer> {
  let statements = 0;
  const counted: RawClient = countingClient(opts.raw, () => statements++);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname;
      const method = req.method ?? "GET";
      const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
        res.end(body);
      };
      let m: RegExpMatchArray | null;
      const answer = method === "GET" ? await answerBaselineGet(counted, opts.secrets, req, url) : null;
      if (answer) {
        send(answer.status, answer.type, answer.body, answer.headers);
      } else if (method === "POST" && (m = path.match(/^\/m\/([^/]+)$/))) {
        const access = await resolveAccess(counted, req, opts.secrets, false);
        const location = await report(counted, access, req, decodeURIComponent(m[1]));
        send(302, "text/plain", "", { location });
      } else if (method === "POST" && (m = path.match(/^\/issues\/([^/.]+)(\.data)?$/))) {
        const id = decodeURIComponent(m[1]);
        if (!ID.test(id)) throw new HttpError(404, "We could not find that issue.");
        const access = await resolveAccess(counted, req, opts.secrets, false);
        send(200, "application/json", JSON.stringify(await changeStatus(counted, access, req, id)));
      } else if (path === "/healthz") {
        await counted.query("select 1");
        send(200, "application/json", `{"status":"healthy"}`);
      } else {
        send(404, "text/plain", "Not found");
      }
    } catch (error) {
      if (error instanceof HttpError) {
        res.writeHead(error.status, {
          "content-type": "text/plain",
          ...(error.location ? { location: error.location } : {}),
        });
        res.end(error.message);
        return;
      }
      const status = (error as { status?: number }).status;
      console.error("[baseline]", error);
      res.writeHead(status ?? 500, { "content-type": "text/plain" });
      res.end("Internal error");
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    statements: () => statements,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function countingClient(raw: RawClient, tick: () => void): RawClient {
  return {
    kind: raw.kind,
    query(text, params) {
      tick();
      return raw.query(text, params);
    },
    transaction(fn) {
      return raw.transaction((tx) => fn(countingClient(tx, tick)));
    },
  };
}
