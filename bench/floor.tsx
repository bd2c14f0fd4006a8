/**
 * The framework floor: what any app on our stack pays on top of the baseline's own work. It is the baseline's exact
 * answer (same SQL through the same client, same HTML) served through *our* Express app (security headers, CSRF check,
 * static files, outage guard), the Remix request handler, our entry.server and a React document with the page in
 * its loader data (so it is serialized for hydration, as on every Remix page). No drizzle, no zod, no components.
 *
 * If the floor is itself slower than the goal (1.5× the baseline), no amount of work in PinPoint's own code reaches the
 * goal: the rest of the gap is the price of Express + Remix + React SSR. The floor answers the read scenarios only
 * (QR redirect, machine page, list, detail); writes need the request body, which the baseline reads from Node's stream.
 */
import type { ServerBuild } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, useLoaderData } from "@remix-run/react";
import { answerBaselineGet, HttpError } from "./baseline";
import type { RawClient } from "./db";

/** The inside of the baseline's <body>: the floor's document has its own html/head/body. */
function bodyOf(page: string): { title: string; body: string } {
  const title = page.match(/<title>([^<]*)<\/title>/)?.[1] ?? "PinPoint";
  const start = page.indexOf("<body>");
  const end = page.lastIndexOf("</body>");
  return { title, body: start >= 0 && end > start ? page.slice(start + "<body>".length, end) : page };
}

function FloorDocument() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <Scripts />
      </body>
    </html>
  );
}

function FloorPage() {
  const { body } = useLoaderData<{ title: string; body: string }>();
  // Bench only: the HTML is the baseline's own page, built with every value escaped (bench/baseline.ts `esc`).
  // eslint-disable-next-line react/no-danger
  return <main dangerouslySetInnerHTML={{ __html: body }} />;
}

const ROUTE_FLAGS = {
  hasAction: false,
  hasClientAction: false,
  hasClientLoader: false,
  hasErrorBoundary: false,
  imports: [],
};

/**
 * A server build with the app's entry (entry.server: buffering, nonce, error handling), assets and future flags, and
 * two routes: a root document and a splat route whose loader returns the baseline's answer.
 */
export function floorBuild(appBuild: ServerBuild, raw: RawClient, secrets: string[]): ServerBuild {
  const loader = async ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    let answer;
    try {
      answer = await answerBaselineGet(raw, secrets, { headers: Object.fromEntries(request.headers) }, url);
    } catch (error) {
      if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
      throw error;
    }
    if (!answer) throw new Response("Not found", { status: 404 });
    if (answer.headers.location)
      throw redirect(answer.headers.location, { status: answer.status, headers: answer.headers });
    return bodyOf(answer.body);
  };
  const rootAsset = appBuild.assets.routes.root;
  return {
    ...appBuild,
    routes: {
      root: {
        id: "root",
        parentId: undefined,
        path: "",
        index: undefined,
        caseSensitive: undefined,
        module: { default: FloorDocument },
      },
      "routes/$": {
        id: "routes/$",
        parentId: "root",
        path: "*",
        index: undefined,
        caseSensitive: undefined,
        module: {
          default: FloorPage,
          loader,
          meta: ({ data }: { data?: { title: string } }) => [{ title: data?.title ?? "PinPoint" }],
        },
      },
    } as unknown as ServerBuild["routes"],
    assets: {
      ...appBuild.assets,
      routes: {
        root: { ...rootAsset, ...ROUTE_FLAGS, id: "root", hasLoader: false },
        "routes/$": { ...rootAsset, ...ROUTE_FLAGS, id: "routes/$", parentId: "root", path: "*", hasLoader: true },
      },
    } as ServerBuild["assets"],
  };
}
