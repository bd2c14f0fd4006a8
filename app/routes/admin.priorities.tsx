/**
 * /admin/priorities — how urgent issues are (organization:manage): add, rename, set the severity rank (higher = more
 * urgent; the issue list's "Priority" sort uses it), reorder the display, choose the default for new issues (switched
 * in one transaction), delete. A priority in use can only be deleted by moving its issues to another priority (same
 * transaction; one SYSTEM history row per moved issue). The default and the last priority cannot be deleted. The
 * page and action mechanics are shared with /admin/statuses (~/components/option-admin, ~/lib/option-admin.server).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field } from "~/components/form";
import { OptionAdminPage } from "~/components/option-admin";
import { requirePermission } from "~/lib/access.server";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import { optionAdminAction } from "~/lib/option-admin.server";
import { createPriority, listPrioritiesWithUsage, priorityOptions, updatePriority } from "../../db/queries/priorities.server";

export const meta: MetaFunction = () => [{ title: "Priorities · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(args, "organization:manage");
  return { priorities: await listPrioritiesWithUsage(db, organizationId) };
}

const name = z
  .string()
  .trim()
  .min(1, "Give the priority a name")
  .max(ISSUE_LIMITS.priorityName, `Keep the name under ${ISSUE_LIMITS.priorityName} characters`);
const rank = z.coerce
  .number({ error: "Enter a whole number" })
  .int("Enter a whole number")
  .min(0, "Use 0 to 1000")
  .max(1000, "Use 0 to 1000");

export async function action(args: ActionFunctionArgs) {
  return optionAdminAction(args, {
    kind: priorityOptions,
    idField: "priorityId",
    create: {
      schema: z.object({
        name,
        order: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), rank.optional()),
      }),
      run: (db, actor, data) => createPriority(db, { ...actor, name: data.name, order: data.order }),
    },
    update: {
      fields: { name, order: rank },
      run: (db, actor, priorityId, data) => updatePriority(db, { ...actor, priorityId, ...data }),
    },
  });
}

const rankInput = { label: "Severity rank", name: "order", type: "number", inputMode: "numeric", min: 0, max: 1000 } as const;

export default function AdminPriorities() {
  const { priorities } = useLoaderData<typeof loader>();
  return (
    <OptionAdminPage
      title="Priorities"
      intro={
        <>
          The severity rank decides what “most urgent first” means in the issue list (higher = more urgent). The arrows only
          change the order of the pickers. New issues get the default priority.
        </>
      }
      noun="priority"
      idField="priorityId"
      options={priorities}
      nameMaxLength={ISSUE_LIMITS.priorityName}
      formColumns="sm:grid-cols-[1fr,10rem,auto]"
      badge={(p) => <>Rank {p.order}</>}
      canBeDefault={() => true}
      edit={{
        summary: "Rename or change rank",
        fieldNames: ["order"],
        fields: (p, errors) => <Field {...rankInput} defaultValue={p.order} required error={errors.order} />,
      }}
      targetLabel={(o) => o.name}
      add={{
        namePlaceholder: "e.g. Urgent",
        fields: (errors) => <Field {...rankInput} hint="Optional; defaults to the most urgent." error={errors.order} />,
      }}
    />
  );
}
