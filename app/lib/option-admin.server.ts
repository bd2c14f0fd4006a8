/**
 * The action of the ordered-option admin pages (/admin/statuses, /admin/priorities): a member holding
 * organization:manage, one intent per form (create, update, default, move, delete; anything else → 400), input
 * parsed with zod. Refusals from db/queries/ordered-options.ts become a 404 (not in this organization) or a 400
 * tied to the offending field, echoing the intent and the option id so the page shows the error on the right row.
 * The page supplies what differs: its option kind, the form field naming the option, and its create/update forms.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import {
  deleteOption,
  moveOption,
  setDefaultOption,
  type AdminResult,
  type DeleteOptionResult,
  type OptionActor,
  type OptionKind,
  type OptionRow,
} from "../../db/queries/ordered-options.server";
import { requireMember } from "./access.server";
import type { DbOrTx } from "./db.server";
import { notFound } from "./errors.server";
import { fields } from "./fields";
import { formToObject, parseWith, readForm, validationError } from "./forms.server";

export interface OptionAdminSpec<Row extends OptionRow, Create, UpdateShape extends z.ZodRawShape> {
  kind: OptionKind<Row>;
  /** The form field that names the option ("statusId", "priorityId"). */
  idField: string;
  create: {
    schema: z.ZodType<Create>;
    /** Submitted values sent back with a 400 so the add form can keep them. */
    echo?: readonly string[];
    run(db: DbOrTx, actor: OptionActor, data: Create): Promise<AdminResult>;
  };
  update: {
    /** The editable fields besides the option id. */
    fields: UpdateShape;
    run(db: DbOrTx, actor: OptionActor, id: string, data: z.infer<z.ZodObject<UpdateShape>>): Promise<AdminResult>;
  };
}

export async function optionAdminAction<Row extends OptionRow, Create, UpdateShape extends z.ZodRawShape>(
  args: ActionFunctionArgs,
  spec: OptionAdminSpec<Row, Create, UpdateShape>,
) {
  const { db, organizationId, user } = await requireMember(args, "organization:manage");
  const actor = { organizationId, actorId: user.id };
  const values = formToObject(await readForm(args.request));
  const intent = typeof values.intent === "string" ? values.intent : "";
  const { idField, kind } = spec;
  const optionId = fields.id;

  const respond = (result: AdminResult | DeleteOptionResult, id?: string) => {
    if (result.ok) return data({ ok: true as const, message: result.message });
    if (result.status === 404) notFound(result.message);
    return validationError({ [result.field]: result.message }, { intent, [idField]: id });
  };

  switch (intent) {
    case "create": {
      const p = parseWith(spec.create.schema, values);
      if (!p.ok) return validationError(p.errors, { intent, ...Object.fromEntries((spec.create.echo ?? []).map((k) => [k, values[k]])) });
      return respond(await spec.create.run(db, actor, p.data));
    }
    case "update": {
      const p = parseWith(z.object({ [idField]: optionId }).extend(spec.update.fields), values);
      if (!p.ok) return validationError(p.errors, { intent, [idField]: values[idField] });
      const id = (p.data as Record<string, string>)[idField];
      return respond(await spec.update.run(db, actor, id, p.data as z.infer<z.ZodObject<UpdateShape>>), id);
    }
    case "default": {
      const p = parseWith(z.object({ [idField]: optionId }), values);
      if (!p.ok) return validationError(p.errors, { intent });
      const id = p.data[idField];
      return respond(await setDefaultOption(db, kind, { ...actor, id }), id);
    }
    case "move": {
      const p = parseWith(z.object({ [idField]: optionId, direction: z.enum(["up", "down"]) }), values);
      if (!p.ok) return validationError(p.errors, { intent });
      // The schema admits only "up" and "down"; the computed id key widens the inferred type.
      const { [idField]: id, direction } = p.data as Record<string, string> & { direction: "up" | "down" };
      return respond(await moveOption(db, kind, { ...actor, id, direction }), id);
    }
    case "delete": {
      const p = parseWith(z.object({ [idField]: optionId, targetId: fields.optionalId }), values);
      if (!p.ok) return validationError(p.errors, { intent, [idField]: values[idField] });
      const id = p.data[idField] as string;
      return respond(await deleteOption(db, kind, { ...actor, id, targetId: p.data.targetId as string | undefined }), id);
    }
    default:
      return validationError({ form: "Unknown action." }, { intent });
  }
}
