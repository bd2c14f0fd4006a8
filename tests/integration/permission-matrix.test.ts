/**
 * The role × route matrix, through real HTTP with real session cookies.
 *
 * Every file in app/routes must have a row in MATRIX below: the test fails naming any route file without one (and
 * any row whose file is gone). A row says which URL to probe and, per role, the expected status of a GET and, when
 * the route has an action, of a POST:
 *
 *   roles, in this order: [anonymous, nonMember, member, admin, custom]
 *     anonymous  no session
 *     nonMember  signed in as admin@beta.local, visiting apc (a member elsewhere, not here)
 *     member     member@dev.local (the seeded Member role)
 *     admin      admin@dev.local (Admin)
 *     custom     player@dev.local with the custom role "Desk": user:manage, issue:view, machine:view
 *   expected: a status number, or "login" (302 to /login?redirectTo=…, the anonymous denial).
 *
 * POST probes never change data: they send a real intent with an invalid payload (or an unknown intent), so an
 * allowed role gets a 400 (validation) and a denied role its 403/302 *before* validation. Routes that check the
 * permission inside an intent branch must be probed with that intent. Ids are well-formed but, where noted,
 * nonexistent: allowed roles then get 404, which still proves the permission check ran first.
 *
 * Adding a route? Add a row. Unsure of a status? Run the test: the failure prints the actual statuses per role.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { seedDatabase } from "../../db/seed.server";
import { createRole } from "../../db/queries/roles.server";
import { issues, machines, locations } from "../../db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, setRoleDirect } from "../helpers/fixtures";
import { type TestClient, type TestResponse, type TestServer, startTestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const ROLES = ["anonymous", "nonMember", "member", "admin", "custom"] as const;
type RoleKey = (typeof ROLES)[number];
type Expect = number | "login";
/** [anonymous, nonMember, member, admin, custom] */
type Row = readonly [Expect, Expect, Expect, Expect, Expect];

interface Ids {
  machineId: string;
  qrCode: string;
  issueId: string;
  locationId: string;
  memberRoleId: string;
}

interface Probe {
  url: (ids: Ids) => string;
  get?: Row;
  post?: {
    body: (ids: Ids) => Record<string, string | string[]>;
    expect: Row;
    /** The POST ends the session (sign-out): use a freshly signed-in client per role. */
    fresh?: boolean;
  };
  /** Further forms of the same route whose intent checks its own permission: name → body and expectation. */
  intents?: Record<string, { body: (ids: Ids) => Record<string, string | string[]>; expect: Row }>;
}

/** A well-formed id that exists nowhere. */
const NOPE = "cmatrixnonexistent0000000";

const PUBLIC: Row = [200, 200, 200, 200, 200];
const SIGNED_IN: Row = ["login", 200, 200, 200, 200];
const ADMIN_ONLY: Row = ["login", 403, 403, 200, 403];
const ADMIN_ONLY_POST: Row = ["login", 403, 403, 400, 403];

const MATRIX: Record<string, Probe> = {
  "_index.tsx": { url: () => "/", get: PUBLIC },
  "account.tsx": {
    url: () => "/account",
    get: SIGNED_IN,
    post: { body: () => ({ intent: "profile", name: "" }), expect: ["login", 400, 400, 400, 400] },
  },
  "login.tsx": {
    url: () => "/login",
    // Signed-in visitors are sent on.
    get: [200, 302, 302, 302, 302],
    // A signed-in visitor's failed POST re-runs the loader, which sends them on (302).
    post: { body: () => ({ email: "", password: "" }), expect: [400, 302, 302, 302, 302] },
  },
  "signup.tsx": {
    url: () => "/signup",
    get: [200, 302, 302, 302, 302],
    post: { body: () => ({ name: "", email: "", password: "", confirm: "" }), expect: [400, 302, 302, 302, 302] },
  },
  "forgot-password.tsx": {
    // Anyone may ask for a reset link (signed in or not); an invalid address is a 400 for everyone.
    url: () => "/forgot-password",
    get: PUBLIC,
    post: { body: () => ({ email: "not-an-email" }), expect: [400, 400, 400, 400, 400] },
  },
  "reset-password.$token.tsx": {
    // A well-formed token of no reset link.
    url: () => `/reset-password/${"A".repeat(43)}`,
    get: [404, 404, 404, 404, 404],
    post: { body: () => ({ password: "", confirm: "" }), expect: [404, 404, 404, 404, 404] },
  },
  "verify-email.$token.tsx": {
    // A well-formed token of no link: the token is the only proof, for everyone alike.
    url: () => `/verify-email/${"A".repeat(43)}`,
    get: [404, 404, 404, 404, 404],
    post: { body: () => ({}), expect: [404, 404, 404, 404, 404] },
  },
  "logout.tsx": {
    url: () => "/logout",
    get: [302, 302, 302, 302, 302],
    post: { body: () => ({}), expect: [302, 302, 302, 302, 302], fresh: true },
  },
  "notifications_.unsubscribe.$token.tsx": {
    // A well-formed link of no one (the signed token is the only proof; no session needed or used).
    url: () => `/notifications/unsubscribe/nobody.noorg.${"A".repeat(43)}`,
    get: [404, 404, 404, 404, 404],
    post: { body: () => ({ "List-Unsubscribe": "One-Click" }), expect: [404, 404, 404, 404, 404] },
  },
  "notifications.tsx": {
    url: () => "/notifications",
    // an organization's notifications are for its members (a former member no longer sees them)
    get: ["login", 403, 200, 200, 200],
    post: { body: () => ({ intent: "read", id: "" }), expect: ["login", 403, 400, 400, 400] },
  },

  // --- admin -----------------------------------------------------------------------------------------------------
  "admin._index.tsx": { url: () => "/admin", get: ["login", 403, 403, 200, 200] },
  "admin.members.tsx": {
    url: () => "/admin/members",
    get: ["login", 403, 403, 200, 200],
    post: {
      body: () => ({ intent: "invite", email: "not-an-email", roleId: "" }),
      expect: ["login", 403, 403, 400, 400],
    },
  },
  "admin.outbox.tsx": { url: () => "/admin/outbox", get: ["login", 403, 403, 200, 200] },
  "admin.roles._index.tsx": {
    url: () => "/admin/roles",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "create", name: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.roles.$roleId.tsx": {
    url: (ids) => `/admin/roles/${ids.memberRoleId}`,
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "settings", name: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.statuses.tsx": {
    url: () => "/admin/statuses",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "create", name: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.priorities.tsx": {
    url: () => "/admin/priorities",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "create", name: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.collections.tsx": {
    url: () => "/admin/collections",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "type-create", name: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.collections_.$collectionId.tsx": {
    url: () => `/admin/collections/${NOPE}`,
    get: ["login", 403, 403, 404, 403],
    // A valid payload for a collection that does not exist: nothing can change, allowed roles get 404.
    post: { body: () => ({ intent: "rename", name: "Matrix probe" }), expect: ["login", 403, 403, 404, 403] },
  },
  "admin.pinballmap.tsx": {
    url: () => "/admin/pinballmap",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "set-location", locationId: "", pinballMapId: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.organization.tsx": {
    url: () => "/admin/organization",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "dates", timeZone: "", locale: "" }), expect: ADMIN_ONLY_POST },
  },
  "admin.qr-codes.tsx": {
    url: () => "/admin/qr-codes",
    get: ADMIN_ONLY,
    post: { body: () => ({ intent: "matrix-probe" }), expect: ADMIN_ONLY_POST },
  },

  // --- machines, QR ------------------------------------------------------------------------------------------------
  "machines._index.tsx": { url: () => "/machines", get: PUBLIC },
  "machines.$machineId.tsx": {
    url: (ids) => `/machines/${ids.machineId}`,
    // Visitors who are not members are sent to the public machine page.
    get: [302, 302, 200, 200, 200],
    post: { body: () => ({ intent: "update", name: "" }), expect: ["login", 403, 403, 400, 403] },
    intents: {
      // machine:edit
      presence: { body: () => ({ intent: "presence", presence: "" }), expect: ["login", 403, 403, 400, 403] },
      // machine:maintain: the seeded Member role holds it, the custom role does not
      note: { body: () => ({ intent: "note", content: "" }), expect: ["login", 403, 400, 400, 403] },
      // any member who may see the machine
      watch: { body: () => ({ intent: "watch", watch: "" }), expect: ["login", 403, 400, 400, 400] },
    },
  },
  "machines.$machineId_.log.$noteId.tsx": {
    // A note that does not exist: members holding machine:maintain get 404, the others are refused first.
    url: (ids) => `/machines/${ids.machineId}/log/${NOPE}`,
    get: ["login", 403, 404, 404, 403],
    post: { body: () => ({ intent: "save", content: "" }), expect: ["login", 403, 404, 404, 403] },
  },
  "machines.new.tsx": {
    url: () => "/machines/new",
    get: ADMIN_ONLY,
    post: { body: () => ({ name: "", modelId: "", locationId: "" }), expect: ADMIN_ONLY_POST },
  },
  "machines.$machineId.qr[.]png.ts": {
    url: (ids) => `/machines/${ids.machineId}/qr.png`,
    get: ["login", 403, 200, 200, 200],
  },
  "machines.$machineId.qr[.]svg.ts": {
    url: (ids) => `/machines/${ids.machineId}/qr.svg`,
    get: ["login", 403, 200, 200, 200],
  },
  "models.new.tsx": {
    url: () => "/models/new",
    get: ADMIN_ONLY,
    post: { body: () => ({ name: "" }), expect: ADMIN_ONLY_POST },
  },
  "m.$machineId.tsx": {
    url: (ids) => `/m/${ids.machineId}`,
    get: PUBLIC,
    // Reporting needs issue:create, which visitors have (Unauthenticated role) and the custom role lacks.
    post: { body: () => ({ intent: "report", title: "" }), expect: [400, 400, 400, 400, 403] },
  },
  // The report form's matches while typing: whoever may report there.
  "m.$machineId_.similar.ts": { url: (ids) => `/m/${ids.machineId}/similar?q=flipper`, get: [200, 200, 200, 200, 403] },
  "qr.$code.ts": { url: (ids) => `/qr/${ids.qrCode}`, get: [302, 302, 302, 302, 302] },
  "api.qr.$code.ts": { url: (ids) => `/api/qr/${ids.qrCode}`, get: [302, 302, 302, 302, 302] },
  "print.labels.tsx": { url: (ids) => `/print/labels?location=${ids.locationId}`, get: ADMIN_ONLY },
  "report.tsx": { url: () => "/report", get: PUBLIC },
  // The venue status board needs machine:view, which visitors and every role here hold; the JSON is always the
  // visitor's view, whoever asks.
  "status.tsx": { url: () => "/status", get: PUBLIC },
  "status[.]json.ts": { url: () => "/status.json", get: PUBLIC },

  // --- issues ------------------------------------------------------------------------------------------------------
  // Triage in place on a row (issueId names the row): status needs issue:edit; the row's "Save" checks each field.
  "issues._index.tsx": {
    url: () => "/issues?index",
    get: ["login", 403, 200, 200, 200],
    post: { body: () => ({ intent: "status", issueId: "", statusId: "" }), expect: ["login", 403, 400, 400, 403] },
    intents: {
      assign: {
        body: () => ({ intent: "assign", issueId: "", assigneeId: "" }),
        expect: ["login", 403, 400, 400, 403],
      },
      triage: { body: () => ({ intent: "triage", issueId: "" }), expect: ["login", 403, 400, 400, 400] },
    },
  },
  // The CSV export of the list: the list's permission.
  "issues[.]csv.ts": { url: () => "/issues.csv", get: ["login", 403, 200, 200, 200] },
  // Reliability figures and their CSV: members who may see issues.
  "insights.tsx": { url: () => "/insights", get: ["login", 403, 200, 200, 200] },
  "insights[.]csv.ts": { url: () => "/insights.csv", get: ["login", 403, 200, 200, 200] },
  "issues.$issueId.tsx": {
    url: (ids) => `/issues/${ids.issueId}`,
    get: PUBLIC,
    post: { body: () => ({ intent: "status", statusId: "" }), expect: ["login", 403, 400, 400, 403] },
    intents: {
      // any member who may see the issue
      watch: { body: () => ({ intent: "watch", watch: "" }), expect: ["login", 403, 400, 400, 400] },
      // issue:edit (app/use-cases/issue-merge.server.ts): no target is a 400; an issue that is not merged a 409
      merge: { body: () => ({ intent: "merge", targetIssueId: "" }), expect: ["login", 403, 400, 400, 403] },
      unmerge: { body: () => ({ intent: "unmerge" }), expect: ["login", 403, 409, 409, 403] },
    },
  },
  "issues.new.tsx": {
    url: () => "/issues/new",
    get: ["login", 403, 200, 200, 403],
    post: { body: () => ({ title: "" }), expect: ["login", 403, 400, 400, 403] },
  },
  "attachments.$attachmentId.tsx": { url: () => `/attachments/${NOPE}`, get: [404, 404, 404, 404, 403] },
  "follow.$token.tsx": {
    url: () => `/follow/${NOPE}`,
    get: [404, 404, 404, 404, 404],
    // "E-mail me when it's fixed" on a follow link of no issue
    post: { body: () => ({ email: "someone@example.test" }), expect: [404, 404, 404, 404, 404] },
  },
  "unsubscribe.$token.tsx": {
    // A well-formed token of no subscription: not found for everyone, reading and unsubscribing alike.
    url: () => `/unsubscribe/${"A".repeat(43)}`,
    get: [404, 404, 404, 404, 404],
    post: { body: () => ({ "List-Unsubscribe": "One-Click" }), expect: [404, 404, 404, 404, 404] },
  },
  "invite.$token.tsx": {
    // A well-formed token of no invitation. Accepting needs a session (anonymous: 400 before the lookup).
    url: () => `/invite/${"A".repeat(43)}`,
    get: [404, 404, 404, 404, 404],
    post: { body: () => ({ intent: "accept" }), expect: [400, 404, 404, 404, 404] },
  },

  // --- locations, collections --------------------------------------------------------------------------------------
  "locations._index.tsx": { url: () => "/locations", get: [200, 200, 200, 200, 403] },
  "locations.$locationId.tsx": {
    url: (ids) => `/locations/${ids.locationId}`,
    get: [200, 200, 200, 200, 403],
    post: { body: () => ({ intent: "update", name: "" }), expect: ["login", 403, 403, 400, 403] },
  },
  "locations.new.tsx": {
    url: () => "/locations/new",
    get: ADMIN_ONLY,
    post: { body: () => ({ name: "" }), expect: ADMIN_ONLY_POST },
  },
  "collections._index.tsx": { url: () => "/collections", get: PUBLIC },
  "collections.$collectionId.tsx": { url: () => `/collections/${NOPE}`, get: [404, 404, 404, 404, 404] },
};

/** Route files as Remix sees them: files directly in app/routes, or folders with a route module. */
function routeFiles(): string[] {
  const dir = path.resolve("app/routes");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith(".") && !/\.test\.[jt]sx?$/.test(e.name))
    .filter((e) =>
      e.isDirectory()
        ? fs.readdirSync(path.join(dir, e.name)).some((f) => /^route\.[jt]sx?$/.test(f))
        : /\.[jt]sx?$/.test(e.name),
    )
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
}

function routeHasAction(file: string): boolean {
  const full = path.resolve("app/routes", file.endsWith("/") ? `${file}route.tsx` : file);
  const source = fs.existsSync(full) ? fs.readFileSync(full, "utf8") : "";
  return /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b|export\s*\{[^}]*\baction\b/.test(source);
}

describe("the matrix covers every route file", () => {
  it("has a row for every file in app/routes", () => {
    const missing = routeFiles().filter((f) => !(f in MATRIX));
    expect(
      missing,
      `Route files without a row in MATRIX (tests/integration/permission-matrix.test.ts): ${missing.map((f) => `app/routes/${f}`).join(", ")}. ` +
        "Add a row per file: the URL to probe and the expected GET (and POST, if the route has an action) status per role " +
        "[anonymous, nonMember, member, admin, custom].",
    ).toEqual([]);
  });

  it("has no rows for files that no longer exist", () => {
    const files = new Set(routeFiles());
    const stale = Object.keys(MATRIX).filter((f) => !files.has(f));
    expect(stale, `MATRIX rows for missing route files: ${stale.join(", ")}. Remove or rename them.`).toEqual([]);
  });

  it("probes a POST for every route with an action", () => {
    const withoutPost = routeFiles().filter((f) => f in MATRIX && routeHasAction(f) && !MATRIX[f].post);
    expect(withoutPost, `Routes with an action but no POST expectation in MATRIX: ${withoutPost.join(", ")}`).toEqual(
      [],
    );
  });
});

let t: TestDb;
let server: TestServer;
let ids: Ids;
const clients = {} as Record<RoleKey, TestClient>;
const EMAILS: Record<Exclude<RoleKey, "anonymous">, string> = {
  nonMember: "admin@beta.local",
  member: "member@dev.local",
  admin: "admin@dev.local",
  custom: "player@dev.local",
};

async function signedInClient(role: RoleKey): Promise<TestClient> {
  const c = server.client({ org: "apc" });
  if (role !== "anonymous") await c.login(EMAILS[role]);
  return c;
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  const apc = await orgIdOf(t.db, "apc");
  await createRole(t.db, apc, {
    name: "Desk",
    isDefault: false,
    permissions: ["user:manage", "issue:view", "machine:view"],
  });
  await setRoleDirect(t.db, "player@dev.local", "apc", "Desk");
  const [machine] = await t.db
    .select({ id: machines.id, qr: machines.qrCodeId })
    .from(machines)
    .where(eq(machines.organizationId, apc))
    .limit(1);
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, apc)).limit(1);
  const [location] = await t.db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.organizationId, apc)))
    .limit(1);
  ids = {
    machineId: machine.id,
    qrCode: machine.qr,
    issueId: issue.id,
    locationId: location.id,
    memberRoleId: await roleIdOf(t.db, "apc", "Member"),
  };
  server = await startTestServer(t.db);
  for (const role of ROLES) clients[role] = await signedInClient(role);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

function matches(res: TestResponse, expected: Expect): boolean {
  if (expected === "login") return res.status === 302 && (res.location ?? "").startsWith("/login?redirectTo=");
  return res.status === expected;
}

function describeActual(res: TestResponse): string {
  if (res.status === 302 && (res.location ?? "").startsWith("/login?")) return "login";
  return res.status >= 300 && res.status < 400 ? `${res.status} → ${res.location}` : String(res.status);
}

async function check(file: string, method: "GET" | "POST", intent?: string) {
  const probe = MATRIX[file];
  const url = probe.url(ids);
  const extra = intent ? probe.intents![intent] : undefined;
  const expected = extra ? extra.expect : method === "GET" ? probe.get! : probe.post!.expect;
  const body = extra ? extra.body : probe.post?.body;
  const problems: string[] = [];
  for (const [i, role] of ROLES.entries()) {
    await resetRateLimits();
    const client = method === "POST" && probe.post?.fresh ? await signedInClient(role) : clients[role];
    const res = method === "GET" ? await client.get(url) : await client.post(url, body!(ids));
    if (!matches(res, expected[i])) problems.push(`${role}: expected ${expected[i]}, got ${describeActual(res)}`);
    // A 500 is never acceptable, whatever the table says.
    if (res.status >= 500) problems.push(`${role}: server error ${res.status}`);
  }
  expect(
    problems,
    `${method} ${url}${intent ? ` intent=${intent}` : ""} (app/routes/${file})\n  ${problems.join("\n  ")}`,
  ).toEqual([]);
}

describe("GET and POST per role", () => {
  const existing = new Set(routeFiles());
  for (const [file, probe] of Object.entries(MATRIX)) {
    if (!existing.has(file)) continue;
    if (probe.get) it(`GET ${file}`, () => check(file, "GET"));
    if (probe.post) it(`POST ${file}`, () => check(file, "POST"));
    for (const intent of Object.keys(probe.intents ?? {}))
      it(`POST ${file} intent=${intent}`, () => check(file, "POST", intent));
  }
});
