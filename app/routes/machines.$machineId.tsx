/**
 * Machine detail for the team: model, location, owner, status, open and recent issues, the QR code (preview,
 * PNG/SVG download, print, regenerate), owner notification toggles, edit and delete.
 * Visitors who are not members are sent to the public machine page instead.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { MachineFields } from "~/components/machine-fields";
import { MachineIssuesSection } from "~/components/machine-page/issues-section";
import { OwnerNotificationsSection } from "~/components/machine-page/notifications-section";
import { PresenceSection } from "~/components/machine-page/presence-section";
import { TimelineSection } from "~/components/machine-page/timeline-section";
import { WatchButton } from "~/components/watch-button";
import { MachineQrSection } from "~/components/machine-page/qr-section";
import { MachineStatusBadge } from "~/components/machine-status";
import { DeleteSection, EditSection } from "~/components/record-sections";
import { requireMember, requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import { qrSvgData, qrTargetUrl } from "~/lib/qr.server";
import { readUploadFormObject } from "~/lib/upload-form.server";
import { addMaintenanceNote, loadMachineTimeline, noteFormOptions, noteInput } from "~/use-cases/maintenance.server";
import {
  deleteMachine,
  loadMachinePage,
  machineInput,
  ownerNotificationsInput,
  requireMachine,
  updateMachine,
  updateMachineNotifications,
} from "~/use-cases/machines.server";
import { changeMachinePresence, presenceInput } from "~/use-cases/machine-presence.server";
import { regenerateMachineQr } from "~/use-cases/qr.server";
import { setWatch, watchInput, watchState } from "~/use-cases/watches.server";
import { MACHINE_STATUS_DESCRIPTION } from "../../core/machine-status";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${readPageData(data).machine.name} · Machines · PinPoint` : "Machine · PinPoint" },
];

const NOT_FOUND = "We could not find that machine.";

const FLASH: Record<string, string> = {
  created: "Machine added. Its QR code is ready to print below.",
  saved: "Changes saved.",
  notifications: "Notification settings saved.",
  qr: "New QR code made. Print and replace the sticker: the old one no longer works.",
  presence: "Saved where the machine is.",
  note: "Maintenance note added.",
  watching: "You are watching this machine: you will be notified of its issues.",
  unwatched: "You no longer watch this machine.",
  noteDeleted: "Maintenance note deleted.",
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  if (!actor.membership) {
    await runLoader(() => requireMachine(actor, machineId));
    throw redirect(`/m/${machineId}`);
  }
  const url = new URL(args.request.url);
  const timelinePage = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const { qrCodeId, ...page } = await runLoader(() => loadMachinePage(actor, machineId));
  const [timeline, noteOptions, watch] = await runLoader(() =>
    Promise.all([
      loadMachineTimeline(actor, machineId, timelinePage),
      page.can.maintain ? noteFormOptions(actor, machineId) : Promise.resolve(null),
      watchState(actor, { machineId }),
    ]),
  );
  const qrUrl = qrTargetUrl(args.request, qrCodeId);
  const flashKey = [
    "created",
    "saved",
    "notifications",
    "qr",
    "presence",
    "note",
    "noteDeleted",
    "watching",
    "unwatched",
  ].find((k) => url.searchParams.has(k));
  return pageData({
    ...page,
    timeline,
    noteOptions,
    watch,
    qr: { url: qrUrl, svg: qrSvgData(qrUrl) },
    flash: flashKey ? FLASH[flashKey] : null,
  });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args);
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  // A maintenance note may carry a photo: every form of the page is read with bounded memory (413 when too large).
  const upload = await readUploadFormObject(args.request, { intent: "note" });
  if (!upload.ok) return upload.answer;
  const { form } = upload;
  const intent = intentOf(form);
  const base = `/machines/${machineId}`;
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "update":
        // Permission before validation: a refused member learns nothing about the form.
        await requirePermission(args, "machine:edit");
        await updateMachine(actor, machineId, parseInput(machineInput, form));
        return redirect(`${base}?saved=1`);
      case "notifications":
        await updateMachineNotifications(actor, machineId, parseInput(ownerNotificationsInput, form));
        return redirect(`${base}?notifications=1`);
      case "presence":
        await requirePermission(args, "machine:edit");
        await changeMachinePresence(actor, machineId, parseInput(presenceInput, form));
        return redirect(`${base}?presence=1#presence-heading`);
      case "note":
        await requirePermission(args, "machine:maintain");
        await addMaintenanceNote(actor, machineId, parseInput(noteInput, form), {
          file: form.photo,
          oversized: upload.oversized.has("photo"),
        });
        return redirect(`${base}?note=1#timeline-heading`);
      case "watch": {
        const input = parseInput(watchInput, form);
        await setWatch(actor, { machineId }, input);
        return redirect(`${base}?${input.watch === "on" ? "watching" : "unwatched"}=1`);
      }
      case "regenerate-qr":
        await requirePermission(args, "machine:edit");
        await regenerateMachineQr(actor, machineId, form.confirm === "yes");
        return redirect(`${base}?qr=1#qr-heading`);
      case "delete":
        await requirePermission(args, "machine:delete");
        await deleteMachine(actor, machineId, form.confirm === "yes");
        return redirect("/machines");
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

function presenceError(result: ReturnType<typeof useActionResult>): string | undefined {
  const e = errorsFor(result, "presence");
  return e.presence ?? e.form;
}

export default function MachineDetail() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const { machine } = d;
  const modelLine = [machine.modelName, [machine.manufacturer, machine.year].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" · ");
  const editErrors = errorsFor(result, "update");
  const editFailed = result?.ok === false && result.intent === "update";
  const notificationErrors = errorsFor(result, "notifications");
  return (
    <div className="space-y-8">
      <p className="text-sm">
        <a href="/machines">← Machines</a>
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
            <a href={`/locations/${machine.locationId}`}>{machine.locationName}</a>
          </dd>
          <dt className="text-slate-600">Owner</dt>
          <dd>{machine.ownerName ?? "No owner"}</dd>
        </dl>
        <p className="flex flex-wrap gap-2 pt-2">
          <a href={`/m/${machine.id}`} className="btn-secondary">
            Public page
          </a>
          {d.can.report && d.presence.onFloor ? (
            <a href={`/m/${machine.id}#report`} className="btn-secondary">
              Report a problem
            </a>
          ) : null}
          {d.watch.canWatch ? <WatchButton watching={d.watch.watching} what="machine" /> : null}
        </p>
      </header>

      <PresenceSection presence={d.presence} canChange={d.can.edit} error={presenceError(result)} />

      {d.can.viewIssues ? <MachineIssuesSection open={d.issues.open} closed={d.issues.closed} /> : null}

      <TimelineSection
        machineId={machine.id}
        timeline={d.timeline}
        addForm={
          d.noteOptions
            ? {
                today: d.timeline.today,
                options: d.noteOptions,
                canAttach: d.can.attach,
                errors: errorsFor(result, "note"),
                values: valuesFor(result, "note"),
                failed: result?.ok === false && result.intent === "note",
              }
            : null
        }
      />

      <MachineQrSection
        machine={machine}
        qr={d.qr}
        canRegenerate={d.can.edit}
        error={errorsFor(result, "regenerate-qr").form}
      />

      {d.can.notifications ? (
        <OwnerNotificationsSection
          ownerName={machine.ownerName}
          values={machine.notifications}
          // A checkbox that sent something other than "on" is named by its field: show the first message.
          error={notificationErrors.form ?? Object.values(notificationErrors)[0]}
        />
      ) : null}

      {d.edit ? (
        <EditSection title="Edit machine" failed={editFailed} formError={editErrors.form}>
          <MachineFields
            values={editFailed ? valuesFor(result, "update") : machine}
            errors={editErrors}
            models={d.edit.models}
            locations={d.edit.locations}
            owners={d.edit.owners}
          />
        </EditSection>
      ) : null}

      {d.can.delete ? (
        <DeleteSection title="Delete machine" name={machine.name} className="card max-w-2xl space-y-3">
          <p className="text-sm text-slate-700">
            Only machines without any issues can be deleted; issue history is never thrown away.
          </p>
          <FormMessage error={errorsFor(result, "delete").form} />
        </DeleteSection>
      ) : null}
    </div>
  );
}
