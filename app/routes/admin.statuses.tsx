/**
 * /admin/statuses — the workflow states of this organization (organization:manage): add, rename, change category
 * (Open / In progress / Closed), reorder, choose the default for new issues (always an Open status; switched in one
 * transaction), delete. A status in use can only be deleted by moving its issues to another status (same
 * transaction; one SYSTEM history row per moved issue). The default and the last status of a category cannot be
 * deleted. The page and the writes are shared with /admin/priorities (~/components/option-admin,
 * ~/use-cases/issue-options.server).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/form";
import { OptionAdminPage } from "~/components/option-admin";
import { requireMember, requirePermission } from "~/lib/access.server";
import { runAction, runLoader } from "~/lib/failure.server";
import { intentOf, readFormObject } from "~/lib/forms.server";
import { loadStatusAdmin, runOptionAdminForm } from "~/use-cases/issue-options.server";
import { CATEGORY_LABELS, ISSUE_LIMITS, STATUS_CATEGORIES, type StatusCategory } from "../../core/issue-rules";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "organization:manage");
  return pageData({ statuses: await runLoader(() => loadStatusAdmin(actor)) });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args, "organization:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => ({
    ok: true as const,
    intent,
    message: await runOptionAdminForm(actor, "status", intent, form),
  }));
}

function CategoryOptions() {
  return STATUS_CATEGORIES.map((c) => (
    <option key={c} value={c}>
      {CATEGORY_LABELS[c as StatusCategory]}
    </option>
  ));
}

export default function AdminStatuses() {
  const { statuses } = usePageData(useLoaderData<typeof loader>());
  return (
    <OptionAdminPage
      title="Statuses"
      intro={
        <>
          Every status belongs to a category: <strong>{CATEGORY_LABELS.NEW}</strong> (reported, not started),{" "}
          <strong>{CATEGORY_LABELS.IN_PROGRESS}</strong> (someone is on it) or{" "}
          <strong>{CATEGORY_LABELS.RESOLVED}</strong> (done — closing stamps the resolved time). New issues start in the
          default status.
        </>
      }
      noun="status"
      idField="statusId"
      options={statuses}
      nameMaxLength={ISSUE_LIMITS.statusName}
      formColumns="sm:grid-cols-[1fr,1fr,auto]"
      badge={(s) => CATEGORY_LABELS[s.category]}
      canBeDefault={(s) => s.category === "NEW"}
      edit={{
        summary: "Rename or change category",
        fieldNames: ["category"],
        fields: (s, errors) => (
          <SelectField label="Category" name="category" defaultValue={s.category} error={errors.category}>
            <CategoryOptions />
          </SelectField>
        ),
      }}
      targetLabel={(o) => (
        <>
          {o.name} ({CATEGORY_LABELS[o.category]})
        </>
      )}
      add={{
        namePlaceholder: "e.g. Waiting for owner",
        fields: (errors) => (
          <SelectField label="Category" name="category" defaultValue="IN_PROGRESS" error={errors.category}>
            <CategoryOptions />
          </SelectField>
        ),
      }}
    />
  );
}
