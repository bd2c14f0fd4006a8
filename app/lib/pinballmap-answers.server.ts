/**
 * How the Pinball Map admin page answers when the sync cannot go ahead. Refusals (Failure) map as everywhere
 * (app/lib/failure.server.ts); Pinball Map itself letting us down (PinballMapError) is 504 when it was too slow, 503
 * when our settings to reach it are broken, and 502 for anything else it did. The page still shows the message.
 */
import { data } from "@remix-run/node";
import { isFailure } from "../../core/failure";
import type { ActionFailure, ActionSuccess } from "./action-result";
import { echoValues, failureResponse, failureStatus, runAction } from "./failure.server";
import { isPinballMapError, type PinballMapErrorKind } from "./pinballmap.server";

export function upstreamStatus(kind: PinballMapErrorKind): number {
  if (kind === "timeout") return 504;
  if (kind === "config") return 503;
  return 502;
}

/** runAction, where a PinballMapError also becomes the form's answer (its message, 502/503/504). */
export async function runSyncAction<T extends ActionSuccess | Response>(
  extras: { intent?: string; form?: Record<string, unknown> },
  work: () => Promise<T>,
) {
  try {
    return await runAction(extras, work);
  } catch (error) {
    if (!isPinballMapError(error)) throw error;
    const body: ActionFailure = {
      ok: false,
      intent: extras.intent,
      errors: { form: error.message },
      values: extras.form ? echoValues(extras.form) : undefined,
    };
    return data(body, { status: upstreamStatus(error.kind) });
  }
}

export type PreviewAnswer<T> = { ok: true; preview: T; status: 200 } | { ok: false; message: string; status: number };

/**
 * A preview for the page, or why it could not be made with the status that says so (the page renders the message).
 * A location that does not exist here (or a missing permission) is the error page instead.
 */
export async function previewAnswer<T>(work: () => Promise<T>): Promise<PreviewAnswer<T>> {
  try {
    return { ok: true, preview: await work(), status: 200 };
  } catch (error) {
    if (isFailure(error)) {
      if (error.code === "not_found" || error.code === "forbidden") throw failureResponse(error);
      return { ok: false, message: error.message, status: failureStatus(error.code) };
    }
    if (isPinballMapError(error)) return { ok: false, message: error.message, status: upstreamStatus(error.kind) };
    throw error;
  }
}
