/**
 * /admin/statuses — the workflow states of this organization (organization:manage): add, rename, change category
 * (Open / In progress / Closed), reorder, choose the default for new issues (always an Open status; switched in one
 * transaction), delete. A status in use can only be deleted by moving its issues to another status (same
 * transaction; one SYSTEM history row per moved issue). The default and the last status of a category cannot be
 * deleted. The page and action mechanics are shared with /admin/priorities (~/components/option-admin,
 * ~/lib/option-admin.server).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField } from "~/components/form";
import { OptionAdminPage } from "~/components/option-admin";
import { requirePermission } from "~/lib/access.server";
import { CATEGORY_LABELS, ISSUE_LIMITS, STATUS_CATEGORIES, type StatusCategory } from "../../core/issue-rules";
import { optionAdminAction } from "~/lib/option-admin.server";
import { createStatus, listStatusesWithUsage, statusOptions, updateStatus } from "../../db/queries/statuses.server";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(args, "organization:manage");
  return { statuses: await listStatusesWithUsage(db, organizationId) };
}

const name = z
  .string()
  .trim()
  .min(1, "Give the status a name")
  .max(ISSUE_LIMITS.statusName, `Keep the name under ${ISSUE_LIMITS.statusName} characters`);
const category = z.enum(STATUS_CATEGORIES, { error: "Choose Open, In progress or Closed" });

export async function action(args: ActionFunctionArgs) {
  return optionAdminAction(args, {
    kind: statusOptions,
    idField: "statusId",
    create: {
      schema: z.object({ name, category }),
      echo: ["name", "category"],
      run: (db, actor, data) => createStatus(db, { ...actor, ...data }),
    },
    update: {
      fields: { name, category },
      run: (db, actor, statusId, data) => updateStatus(db, { ...actor, statusId, ...data }),
    },
  });
}

function CategoryOptions() {
  return STATUS_CATEGORIES.map((c) => (
    <option key={c} value={c}>
      {CATEGORY_LABELS[c as StatusCategory]}
    </option>
  ));
}

export default function AdminStatuses() {
  const { statuses } = useLoaderData<typeof loader>();
  return (
    <OptionAdminPage
      title="Statuses"
      intro={
        <>
          Every status belongs to a category: <strong>{CATEGORY_LABELS.NEW}</strong> (reported, not started),{" "}
          <strong>{CATEGORY_LABELS.IN_PROGRESS}</strong> (someone is on it) or <strong>{CATEGORY_LABELS.RESOLVED}</strong> (done —
          closing stamps the resolved time). New issues start in the default status.
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
