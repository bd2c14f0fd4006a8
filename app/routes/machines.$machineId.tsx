/**
 * Machine detail for the team: model, location, owner, status, open and recent issues, the QR code (preview,
 * PNG/SVG download, print, regenerate), owner notification toggles, edit and delete.
 * Visitors who are not members are sent to the public machine page instead.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { MachineFields } from "~/components/machine-fields";
import { MachineStatusBadge } from "~/components/machine-status";
import { QrCodeSvg } from "~/components/qr-code";
import { ConfirmForm, DeleteSection, EditSection } from "~/components/record-sections";
import { getAccess, requirePermission } from "~/lib/access.server";
import { forbidden, notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { machineFormValues, machineSchema, ownerNotificationSchema } from "~/lib/machine-form.server";
import { MACHINE_STATUS_DESCRIPTION, deriveMachineStatus, statusCategoryLabel } from "../../core/machine-status";
import { timeAgo } from "~/lib/format";
import { qrSvgData, qrTargetUrl } from "~/lib/qr.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import {
  deleteMachine,
  getMachineDetail,
  listMachineIssues,
  listOwnerOptions,
  machineExists,
  topPriorityOrder,
  updateMachine,
  updateOwnerNotifications,
} from "../../db/queries/machines.server";
import { listModelOptions } from "../../db/queries/models.server";
import { regenerateMachineQr } from "../../db/queries/qr.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `${d.machine.name} · Machines · PinPoint` : "Machine · PinPoint" }];

const FLASH: Record<string, string> = {
  created: "Machine added. Its QR code is ready to print below.",
  saved: "Changes saved.",
  notifications: "Notification settings saved.",
  qr: "New QR code made. Print and replace the sticker: the old one no longer works.",
};

export async function loader(args: LoaderFunctionArgs) {
  const access = await getAccess(args);
  const { db, organizationId } = access;
  const machineId = args.params.machineId ?? "";
  if (!access.membership) {
    if (!access.can("machine:view")) await requirePermission(args, "machine:view");
    if (!(await machineExists(db, organizationId, machineId))) notFound("We could not find that machine.");
    throw redirect(`/m/${encodeURIComponent(machineId)}`);
  }
  if (!access.can("machine:view")) forbidden();
  const machine = (await getMachineDetail(db, organizationId, machineId)) ?? notFound("We could not find that machine.");
  const canEdit = access.can("machine:edit");
  const [issues, top, owners, locations, models] = await Promise.all([
    access.can("issue:view") ? listMachineIssues(db, organizationId, machineId) : Promise.resolve({ open: [], closed: [] }),
    topPriorityOrder(db, organizationId),
    canEdit ? listOwnerOptions(db, organizationId) : Promise.resolve([]),
    canEdit ? listLocationOptions(db, organizationId) : Promise.resolve([]),
    canEdit ? listModelOptions(db, organizationId, { includeId: machine.modelId }) : Promise.resolve([]),
  ]);
  const now = new Date();
  const qrUrl = qrTargetUrl(args.request, machine.qrCodeId);
  const url = new URL(args.request.url);
  const flashKey = ["created", "saved", "notifications", "qr"].find((k) => url.searchParams.has(k));
  return {
    machine: {
      id: machine.id,
      name: machine.name,
      modelId: machine.modelId,
      modelName: machine.modelName,
      manufacturer: machine.manufacturer,
      year: machine.year,
      machineType: machine.machineType,
      opdbId: machine.opdbId,
      ipdbId: machine.ipdbId,
      isCustomModel: machine.isCustomModel,
      locationId: machine.locationId,
      locationName: machine.locationName,
      ownerId: machine.ownerId,
      ownerName: machine.ownerName,
      qrGenerated: machine.qrCodeGeneratedAt ? timeAgo(machine.qrCodeGeneratedAt, now) : null,
      notifications: {
        ownerNotificationsEnabled: machine.ownerNotificationsEnabled,
        notifyOnNewIssues: machine.notifyOnNewIssues,
        notifyOnStatusChanges: machine.notifyOnStatusChanges,
        notifyOnComments: machine.notifyOnComments,
      },
    },
    status: deriveMachineStatus({
      openIssueCount: issues.open.length,
      maxOpenPriorityOrder: issues.open.length ? Math.max(...issues.open.map((i) => i.priorityOrder)) : null,
      topPriorityOrder: top,
    }),
    issues: {
      open: issues.open.map((i) => ({
        id: i.id,
        title: i.title,
        statusName: i.statusName,
        statusLabel: statusCategoryLabel(i.category),
        priorityName: i.priorityName,
        age: timeAgo(i.createdAt, now),
      })),
      closed: issues.closed.map((i) => ({ id: i.id, title: i.title, statusName: i.statusName, age: timeAgo(i.resolvedAt ?? i.createdAt, now) })),
    },
    qr: { url: qrUrl, svg: qrSvgData(qrUrl) },
    flash: flashKey ? FLASH[flashKey] : null,
    edit: canEdit ? { owners, locations, models } : null,
    can: {
      edit: canEdit,
      delete: access.can("machine:delete"),
      notifications: canEdit || (access.user != null && access.user.id === machine.ownerId),
      viewIssues: access.can("issue:view"),
      report: access.can("issue:create"),
    },
  };
}

type ActionResult = { ok: false; intent?: string; errors: Record<string, string>; values?: Record<string, string> };

function failed(intent: string, errors: Record<string, string>, status = 400, values?: Record<string, string>) {
  return data({ ok: false as const, intent, errors, values }, { status });
}

export async function action(args: ActionFunctionArgs) {
  const access = await getAccess(args);
  const { db, organizationId } = access;
  const machineId = args.params.machineId ?? "";
  const form = formToObject(await readForm(args.request));
  const base = `/machines/${encodeURIComponent(machineId)}`;
  switch (form.intent) {
    case "update": {
      await requirePermission(args, "machine:edit");
      const values = machineFormValues(form);
      const parsed = parseWith(machineSchema, form);
      if (!parsed.ok) return failed("update", parsed.errors, 400, values);
      const result = await updateMachine(db, organizationId, machineId, parsed.data);
      if (!result.ok) {
        if (result.reason === "not_found") notFound("We could not find that machine.");
        return failed("update", result.errors, 400, values);
      }
      throw redirect(`${base}?saved=1`);
    }
    case "notifications": {
      const machine = (await getMachineDetail(db, organizationId, machineId)) ?? notFound("We could not find that machine.");
      const isOwner = access.user != null && access.user.id === machine.ownerId;
      if (!isOwner) await requirePermission(args, "machine:edit");
      const parsed = parseWith(ownerNotificationSchema, form);
      if (!parsed.ok) return failed("notifications", { form: "Please use the checkboxes." });
      await updateOwnerNotifications(db, organizationId, machineId, parsed.data);
      throw redirect(`${base}?notifications=1`);
    }
    case "regenerate-qr": {
      await requirePermission(args, "machine:edit");
      if (form.confirm !== "yes") return failed("regenerate-qr", { form: "Tick the box to confirm: the printed sticker will stop working." });
      if (!(await regenerateMachineQr(db, organizationId, machineId))) notFound("We could not find that machine.");
      throw redirect(`${base}?qr=1#qr-heading`);
    }
    case "delete": {
      await requirePermission(args, "machine:delete");
      if (form.confirm !== "yes") return failed("delete", { form: "Tick the box to confirm the deletion." });
      const result = await deleteMachine(db, organizationId, machineId);
      if (result.ok) throw redirect("/machines");
      if (result.reason === "not_found") notFound("We could not find that machine.");
      const n = result.issueCount;
      return failed(
        "delete",
        {
          form: `This machine has ${n} ${n === 1 ? "issue" : "issues"} and cannot be deleted, so its history is kept. Move it to another location instead if it left this one.`,
        },
        409,
      );
    }
    default:
      if (!access.membership) await requirePermission(args, "machine:edit");
      return validationError({ form: "Unknown action." });
  }
}

export default function MachineDetail() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as ActionResult | undefined;
  const errorsFor = (intent: string): Record<string, string | undefined> => (result?.intent === intent ? result.errors : {});
  const { machine } = d;
  const modelLine = [machine.modelName, [machine.manufacturer, machine.year].filter(Boolean).join(" ")].filter(Boolean).join(" · ");
  const n = machine.notifications;
  return (
    <div className="space-y-8">
      <p className="text-sm">
        <Link to="/machines">← Machines</Link>
      </p>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{machine.name}</h1>
        {d.flash ? <FormMessage success={d.flash} /> : null}
        <p className="flex flex-wrap items-center gap-2">
          <MachineStatusBadge status={d.status} large />
          <span className="text-sm text-slate-700">{MACHINE_STATUS_DESCRIPTION[d.status]}</span>
        </p>
        <dl className="grid max-w-xl grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Model</dt>
          <dd>
            {modelLine}
            {machine.isCustomModel ? <span className="badge ml-2 bg-slate-100 text-slate-700">custom</span> : null}
            {machine.opdbId ? <span className="ml-2 text-slate-500">OPDB {machine.opdbId}</span> : null}
            {machine.ipdbId ? <span className="ml-2 text-slate-500">IPDB {machine.ipdbId}</span> : null}
          </dd>
          <dt className="text-slate-600">Location</dt>
          <dd>
            <Link to={`/locations/${machine.locationId}`}>{machine.locationName}</Link>
          </dd>
          <dt className="text-slate-600">Owner</dt>
          <dd>{machine.ownerName ?? "No owner"}</dd>
        </dl>
        <p className="flex flex-wrap gap-2 pt-2">
          <Link to={`/m/${machine.id}`} className="btn-secondary">
            Public page
          </Link>
          {d.can.report ? (
            <Link to={`/m/${machine.id}#report`} className="btn-secondary">
              Report a problem
            </Link>
          ) : null}
        </p>
      </header>

      {d.can.viewIssues ? (
        <section aria-labelledby="issues-heading" className="space-y-3">
          <h2 id="issues-heading" className="text-lg font-semibold">
            Open issues ({d.issues.open.length})
          </h2>
          {d.issues.open.length === 0 ? (
            <p className="card text-slate-700">No open issues.</p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
              {d.issues.open.map((i) => (
                <li key={i.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                  <Link to={`/issues/${i.id}`} className="font-medium">
                    {i.title}
                  </Link>
                  <span className="text-sm text-slate-600">
                    {i.statusName} · {i.priorityName} · {i.age}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {d.issues.closed.length ? (
            <>
              <h3 className="pt-2 font-semibold">Recently closed</h3>
              <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
                {d.issues.closed.map((i) => (
                  <li key={i.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                    <Link to={`/issues/${i.id}`}>{i.title}</Link>
                    <span className="text-sm text-slate-600">
                      {i.statusName} · {i.age}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="qr-heading" className="card space-y-4">
        <h2 id="qr-heading" className="text-lg font-semibold">
          QR code
        </h2>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <QrCodeSvg qr={d.qr.svg} label={`QR code for ${machine.name}`} className="h-48 w-48 shrink-0 border border-slate-200" />
          <div className="min-w-0 space-y-3 text-sm">
            <p>
              Scanning opens the public page of this machine, where players see its status and report problems.
              {machine.qrGenerated ? ` Made ${machine.qrGenerated}.` : ""}
            </p>
            <p className="break-all">
              <span className="text-slate-600">Encoded address: </span>
              <code className="rounded bg-slate-100 px-1">{d.qr.url}</code>
            </p>
            <p className="flex flex-wrap gap-2">
              <a href={`/machines/${machine.id}/qr.png?download=1`} className="btn-secondary" download>
                Download PNG
              </a>
              <a href={`/machines/${machine.id}/qr.svg?download=1`} className="btn-secondary" download>
                Download SVG
              </a>
              <Link to={`/print/labels?machine=${machine.id}`} className="btn-secondary">
                Print label
              </Link>
            </p>
          </div>
        </div>
        {d.can.edit ? (
          <ConfirmForm
            intent="regenerate-qr"
            className="space-y-2 border-t border-slate-200 pt-4"
            confirmId="confirm-qr"
            confirm="Make a new code. The printed sticker stops working (use this when a sticker was copied or misused)."
            submit="Regenerate QR code"
            submitClassName="btn-secondary"
          >
            <FormMessage error={errorsFor("regenerate-qr").form} />
          </ConfirmForm>
        ) : null}
      </section>

      {d.can.notifications ? (
        <section aria-labelledby="notify-heading" className="card max-w-2xl space-y-3">
          <h2 id="notify-heading" className="text-lg font-semibold">
            Owner notifications
          </h2>
          <p className="text-sm text-slate-700">
            {machine.ownerName ? `What ${machine.ownerName} hears about this machine (in-app notifications).` : "Applies once the machine has an owner."}
          </p>
          <FormMessage error={errorsFor("notifications").form} />
          <Form method="post" className="space-y-2">
            <input type="hidden" name="intent" value="notifications" />
            {(
              [
                ["ownerNotificationsEnabled", "Notify the owner at all", n.ownerNotificationsEnabled],
                ["notifyOnNewIssues", "New issues", n.notifyOnNewIssues],
                ["notifyOnStatusChanges", "Status changes", n.notifyOnStatusChanges],
                ["notifyOnComments", "Comments", n.notifyOnComments],
              ] as const
            ).map(([name, label, checked]) => (
              <div key={name} className="flex items-center gap-2">
                <input id={`n-${name}`} type="checkbox" name={name} defaultChecked={checked} className="h-4 w-4" />
                <label htmlFor={`n-${name}`} className="text-sm">
                  {label}
                </label>
              </div>
            ))}
            <button type="submit" className="btn-secondary">
              Save notification settings
            </button>
          </Form>
        </section>
      ) : null}

      {d.edit ? (
        <EditSection title="Edit machine" failed={result?.intent === "update"} formError={result?.errors.form}>
          <MachineFields
            values={result?.intent === "update" && result.values ? result.values : machine}
            errors={errorsFor("update")}
            models={d.edit.models}
            locations={d.edit.locations}
            owners={d.edit.owners}
          />
        </EditSection>
      ) : null}

      {d.can.delete ? (
        <DeleteSection title="Delete machine" name={machine.name} className="card max-w-2xl space-y-3">
          <p className="text-sm text-slate-700">Only machines without any issues can be deleted; issue history is never thrown away.</p>
          <FormMessage error={errorsFor("delete").form} />
        </DeleteSection>
      ) : null}
    </div>
  );
}
