/**
 * patches/@remix-run+router+1.23.3.patch: the server flattens and ranks a route tree once and compiles each route
 * pattern once, instead of on every request (Remix matches the whole tree two to three times per request;
 * docs/decisions/042-server-overhead.md). Counted here by the RegExp objects the router builds; matching itself
 * must give the same answers.
 */
import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import { afterEach, describe, expect, it } from "vitest";

// The CommonJS build is the one Node (the server) loads; the patch changes only that file.
const router = createRequire(import.meta.url)("@remix-run/router") as typeof Router;

const NativeRegExp = globalThis.RegExp;
let built = 0;

afterEach(() => {
  globalThis.RegExp = NativeRegExp;
});

function countRegExps() {
  built = 0;
  globalThis.RegExp = new Proxy(NativeRegExp, {
    construct(target, args) {
      built += 1;
      return Reflect.construct(target, args);
    },
  });
}

function tree() {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "machine", path: "m/:machineId" },
        { id: "issue", path: "issues/:issueId" },
        { id: "issues", path: "issues", index: false },
        { id: "follow", path: "follow/:token" },
        { id: "splat", path: "*" },
      ],
    },
  ];
}

describe("route matching on the server (patched @remix-run/router)", () => {
  it("compiles a route tree's patterns once, not on every match", () => {
    const routes = tree();
    const paths = ["/m/abc", "/issues/i1", "/issues", "/follow/t", "/other"];
    countRegExps();
    for (const path of paths) router.matchRoutes(routes, path);
    expect(built).toBeGreaterThan(0);
    built = 0;
    for (let i = 0; i < 3; i++) for (const path of paths) router.matchRoutes(routes, path);
    expect(built).toBe(0);
  });

  it("answers as before: params, ranking, splat, no match", () => {
    const routes = tree();
    const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id) ?? null;
    expect(ids("/m/abc")).toEqual(["root", "machine"]);
    expect(router.matchRoutes(routes, "/m/abc")?.[1].params).toEqual({ machineId: "abc" });
    expect(ids("/issues")).toEqual(["root", "issues"]);
    expect(ids("/issues/x/")).toEqual(["root", "issue"]);
    expect(ids("/nothing/here")).toEqual(["root", "splat"]);
    expect(router.matchRoutes([{ id: "a", path: "/a" }], "/b")).toBeNull();
    // A new tree (a development rebuild) is matched on its own.
    expect(router.matchRoutes([{ id: "b", path: "/b" }], "/b")?.[0].route.id).toBe("b");
    expect(router.matchPath("/m/:id", "/M/X")?.params).toEqual({ id: "X" });
    expect(router.matchPath({ path: "/m/:id", caseSensitive: true }, "/M/X")).toBeNull();
  });

  it("looks only at the branches that can match the first segment, with the same answers as a full scan", () => {
    // Shaped like app/routes: index, fixed sections, a dotted resource name, nested params, a case-sensitive route, a
    // parameter first and the catch-all. A tree matched once scans every branch (the index is built on its second
    // use), so a fresh copy per path gives the unindexed answer to compare with.
    const shape = () => [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "issues", path: "issues" },
          { id: "issues.csv", path: "issues.csv" },
          { id: "issue", path: "issues/:issueId" },
          { id: "similar", path: "m/:machineId/similar" },
          { id: "machine", path: "m/:machineId" },
          {
            id: "admin",
            path: "admin",
            children: [
              { id: "admin.index", index: true },
              { id: "roles", path: "roles/:roleId" },
            ],
          },
          { id: "Exact", path: "Exact", caseSensitive: true },
          { id: "lang", path: ":lang/help" },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const indexed = shape();
    router.matchRoutes(indexed, "/");
    const paths = [
      "/",
      "",
      "//",
      "/issues",
      "/ISSUES/",
      "/issues.csv",
      "/issues/abc",
      "/issues/abc/def",
      "/m/x",
      "/m/x/similar",
      "/M/X/Similar/",
      "/admin",
      "/admin/roles/r1",
      "/admin/nothing",
      "/Exact",
      "/exact",
      "/de/help",
      "/issues/help",
      "/m",
      "/nothing",
      "/%20/x",
      "//issues",
      "/issues//abc",
    ];
    for (const path of paths) {
      const answer = (routes: ReturnType<typeof shape>) =>
        router.matchRoutes(routes, path)?.map((m) => [m.route.id, m.params, m.pathname]) ?? null;
      expect(answer(indexed), path).toEqual(answer(shape()));
    }
  });

  it("renders with one data-route tree per route array (react-router-dom patch), so the tree's matches are cached", () => {
    // patches/react-router-dom+6.30.4.patch; patches/@remix-run+react+2.17.5.patch keeps Remix's route array per build.
    const { createStaticRouter } = createRequire(import.meta.url)("react-router-dom/server") as {
      createStaticRouter: (routes: unknown[], context: unknown) => { routes: unknown[] };
    };
    const context = { basename: "/", location: { pathname: "/a" }, matches: [], loaderData: {}, errors: null };
    const routes = [{ id: "root", path: "/", children: [{ id: "a", path: "a" }] }];
    const first = createStaticRouter(routes, context);
    expect(createStaticRouter(routes, context).routes).toBe(first.routes);
    expect(createStaticRouter([...routes], context).routes).not.toBe(first.routes);
  });
});
