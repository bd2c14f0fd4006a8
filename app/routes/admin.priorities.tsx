/**
 * /admin/priorities — how urgent issues are (organization:manage): add, rename, set the severity rank (higher = more
 * urgent; the issue list's "Priority" sort uses it), reorder the display, choose the default for new issues (switched
 * in one transaction), delete. A priority in use can only be deleted by moving its issues to another priority (same
 * transaction; one SYSTEM history row per moved issue). The default and the last priority cannot be deleted. The
 * page and the writes are shared with /admin/statuses (~/components/option-admin, ~/use-cases/issue-options.server).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field } from "~/components/form";
import { OptionAdminPage } from "~/components/option-admin";
import { requireMember, requirePermission } from "~/lib/access.server";
import { runAction, runLoader } from "~/lib/failure.server";
import { intentOf, readFormObject } from "~/lib/forms.server";
import { loadPriorityAdmin, runOptionAdminForm } from "~/use-cases/issue-options.server";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Priorities · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  return pageData({ priorities: await runLoader(() => loadPriorityAdmin(actor)) });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args, "organization:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => ({
    ok: true as const,
    intent,
    message: await runOptionAdminForm(actor, "priority", intent, form),
  }));
}

const rankInput = {
  label: "Severity rank",
  name: "order",
  type: "number",
  inputMode: "numeric",
  min: 0,
  max: 1000,
} as const;

export default function AdminPriorities() {
  const { priorities } = usePageData(useLoaderData<typeof loader>());
  return (
    <OptionAdminPage
      title="Priorities"
      intro={
        <>
          The severity rank decides what “most urgent first” means in the issue list (higher = more urgent). The arrows
          only change the order of the pickers. New issues get the default priority.
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
