/**
 * `--candidate quick-fixes`: the app with two small proposed fixes, built from exactly the code under test (a patched
 * copy of the same production build and of server/*.ts), so the A/B isolates the fixes:
 *
 * 1. Per-request memo of getAccess keyed by a `requestMemo` object that server/app.ts puts into the load context.
 *    Remix gives every loader its own copy of the Request (single fetch: stripRoutesParam/stripIndexParam), so the
 *    current WeakMap<Request> memo misses between the root loader and the route loader and the organization,
 *    session and membership/role queries run twice on every page.
 * 2. express.static only for paths with a file extension, so page URLs skip a file-system stat().
 *
 * The real change for app/lib/access.server.ts, app/lib/context.server.ts and server/app.ts is in docs/benchmarks.md
 * (analysis); this file only reproduces it on the built bundle.
 */
import fs from "node:fs";
import path from "node:path";

export const CANDIDATES = ["quick-fixes"] as const;
export type CandidateName = (typeof CANDIDATES)[number];

function patchBuild(source: string): string {
  const re =
    /function getAccess\(\{ request, context \}\) \{\n {2}let pending = (\w+)\.get\(request\);\n {2}return pending \|\| \(pending = resolveAccess\(getDb\(context\), request\), \w+\.set\(request, pending\)\), pending;\n\}/;
  const m = source.match(re);
  if (!m || m.index === undefined) throw new Error("candidate quick-fixes: getAccess in the build does not look as expected (code changed?)");
  const cache = m[1];
  const replacement = `function getAccess({ request, context }) {
  let key = context?.requestMemo ?? request, pending = ${cache}.get(key);
  return pending || (pending = resolveAccess(getDb(context), request), ${cache}.set(key, pending)), pending;
}`;
  return source.slice(0, m.index) + replacement + source.slice(m.index + m[0].length);
}

function patchServerApp(source: string): string {
  const context = `        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",\n      }),`;
  const statics = `  app.use(express.static(options.publicDir, { maxAge: "1h" }));`;
  if (!source.includes(context) || !source.includes(statics)) {
    throw new Error("candidate quick-fixes: server/app.ts does not look as expected (code changed?)");
  }
  return source
    .replace(context, `        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",\n        requestMemo: {},\n      }),`)
    .replace(
      statics,
      `  const publicFiles = express.static(options.publicDir, { maxAge: "1h" });\n` +
        `  app.use((req: Request, res: Response, next: NextFunction) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));`,
    );
}

/**
 * Builds the candidate's root directory next to the app's private build: build/index.js (patched copy of
 * `appBuildPath`), server/*.ts (patched copies), and links to app/, db/, public/, migrations/ and node_modules/.
 */
export function prepareCandidate(name: CandidateName, repoRoot: string, appBuildPath: string): { root: string; remove(): void } {
  if (name !== "quick-fixes") throw new Error(`unknown candidate ${name}`);
  const root = path.join(path.dirname(path.dirname(appBuildPath)) + "-candidate");
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, "build"), { recursive: true });
  fs.mkdirSync(path.join(root, "server"), { recursive: true });
  fs.writeFileSync(path.join(root, "build", "index.js"), patchBuild(fs.readFileSync(appBuildPath, "utf8")));
  for (const file of fs.readdirSync(path.join(repoRoot, "server"))) {
    if (!file.endsWith(".ts")) continue;
    const text = fs.readFileSync(path.join(repoRoot, "server", file), "utf8");
    fs.writeFileSync(path.join(root, "server", file), file === "app.ts" ? patchServerApp(text) : text);
  }
  for (const dir of ["app", "db", "public", "migrations", "node_modules"]) {
    fs.symlinkSync(path.join(repoRoot, dir), path.join(root, dir), "dir");
  }
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
