import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "~/lib/context.server";
import { destroyUserSession } from "~/lib/session.server";

// Signing out changes state, so it is a POST only; a GET (a link, a prefetch) just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  return destroyUserSession(getDb(context), request, "/");
}
