/**
 * Reading a form that may carry a photo (readUploadForm in ./uploads.server.ts) as the plain object the use cases'
 * schemas take. A body that cannot be taken (too large: 413, unreadable: 400) becomes the form's answer straight
 * away, in the shape of every action's answer (./action-result.ts); after a 413 the unread rest of the body is still
 * on the socket, so that answer asks for the connection to be closed (the route passes it on with rateLimitHeaders).
 */
import { data } from "@remix-run/node";
import type { ActionFailure } from "./action-result";
import { failureStatus } from "./failure.server";
import { formToObject } from "./forms.server";
import { UploadError, readUploadForm, type UploadFormLimits } from "./uploads.server";

export type UploadFormObject =
  | { ok: true; form: Record<string, unknown>; oversized: ReadonlySet<string> }
  | { ok: false; answer: ReturnType<typeof data<ActionFailure>> };

export async function readUploadFormObject(
  request: Request,
  opts: { intent?: string; limits?: UploadFormLimits } = {},
): Promise<UploadFormObject> {
  try {
    const { form, oversized } = await readUploadForm(request, opts.limits);
    return { ok: true, form: formToObject(form), oversized };
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    const body: ActionFailure = {
      ok: false,
      intent: opts.intent,
      errors: { [error.field ?? "form"]: error.message, form: error.message },
    };
    const status = failureStatus(error.status === 413 ? "too_large" : "invalid");
    return { ok: false, answer: data(body, { status, headers: status === 413 ? { Connection: "close" } : undefined }) };
  }
}
