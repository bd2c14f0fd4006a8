/**
 * QR codes of machines. Every machine has a random public token `qrCodeId` (separate from its id); its sticker
 * encodes `/qr/<qrCodeId>` on the organization's host (app/lib/qr.server.ts draws it). Regenerating replaces the token,
 * so the old sticker stops working at once. Here: resolving a scanned code, a machine's code for downloads, label
 * sheets, and the organization's QR administration.
 */
import { fail } from "../../core/failure";
import { machineFileSlug } from "../../core/machines";
import { getCollection, listCollectionMachineIds } from "../../db/queries/collections.server";
import { getLocation, listLocationsWithCounts } from "../../db/queries/locations.server";
import {
  findMachineByQrCode,
  generateMissingQr,
  getMachineQr as findMachineQr,
  listLabelMachines,
  qrStats,
  regenerateAllQr,
  regenerateMachineQr as replaceMachineQr,
} from "../../db/queries/qr.server";
import { requireCan, requireMemberActor, type Actor } from "./actor";

const NO_MACHINE = "We could not find that machine.";

/**
 * Where a scanned sticker leads: the machine its code points at in the organization of the address (`subdomain`),
 * or null (unknown, replaced, another organization's, or no organization there). It reads no access: a code is
 * printed on the cabinet for anyone, and the page it leads to checks machine:view. One statement per scan.
 */
export async function resolveQrCode(
  scan: { db: Actor["db"]; subdomain: string },
  code: string,
): Promise<{ machineId: string } | null> {
  const machine = await findMachineByQrCode(scan.db, scan.subdomain, code);
  return machine ? { machineId: machine.id } : null;
}

/** A machine's current code for the PNG/SVG downloads (members with machine:view), with a file name for it. */
export async function getMachineQr(actor: Actor, machineId: string) {
  requireMemberActor(actor, "machine:view");
  const machine = await findMachineQr(actor.db, actor.organizationId, machineId);
  if (!machine) throw fail.notFound(NO_MACHINE);
  return { qrCodeId: machine.qrCodeId, fileSlug: machineFileSlug(machine.name) };
}

/** A new code for one machine, after confirmation: the printed sticker stops working. */
export async function regenerateMachineQr(actor: Actor, machineId: string, confirmed: boolean): Promise<void> {
  requireMemberActor(actor, "machine:edit");
  if (!confirmed) throw fail.invalid("Tick the box to confirm: the printed sticker will stop working.");
  if (!(await replaceMachineQr(actor.db, actor.organizationId, machineId))) throw fail.notFound(NO_MACHINE);
}

export type LabelSheetChoice = { location: string } | { collection: string } | { machine: string };

/** The machines of a label sheet: all of a location, a collection's, or one; the title names what was chosen. */
export async function loadLabelSheet(actor: Actor, choice: LabelSheetChoice) {
  requireCan(actor, "machine:edit");
  const { db, organizationId } = actor;
  if ("location" in choice) {
    const location = await getLocation(db, organizationId, choice.location);
    if (!location) throw fail.notFound("We could not find that location.");
    return { title: location.name, machines: await listLabelMachines(db, organizationId, { locationId: location.id }) };
  }
  if ("collection" in choice) {
    const collection = await getCollection(db, organizationId, choice.collection);
    if (!collection) throw fail.notFound("We could not find that collection.");
    const machineIds = await listCollectionMachineIds(db, organizationId, collection.id);
    return { title: collection.name, machines: await listLabelMachines(db, organizationId, { machineIds }) };
  }
  const machines = await listLabelMachines(db, organizationId, { machineIds: [choice.machine] });
  if (!machines.length) throw fail.notFound(NO_MACHINE);
  return { title: machines[0].name, machines };
}

/** The QR administration page: how many machines have a label made, and the locations to print sheets for. */
export async function loadQrAdminPage(actor: Actor) {
  requireCan(actor, "organization:manage");
  const [stats, locations] = await Promise.all([
    qrStats(actor.db, actor.organizationId),
    listLocationsWithCounts(actor.db, actor.organizationId),
  ]);
  return { stats, locations: locations.map((l) => ({ id: l.id, name: l.name, machineCount: l.machineCount })) };
}

/** Marks the codes of machines that never had a label as made (their tokens are kept); returns how many. */
export async function makeMissingLabels(actor: Actor): Promise<number> {
  requireCan(actor, "organization:manage");
  return generateMissingQr(actor.db, actor.organizationId);
}

/** New codes for every machine of the organization, after confirmation; returns how many changed. */
export async function regenerateAllQrCodes(actor: Actor, confirmed: boolean): Promise<number> {
  requireCan(actor, "organization:manage");
  if (!confirmed) throw fail.invalid("Tick the box to confirm: every printed sticker will stop working.", "regenerate");
  return regenerateAllQr(actor.db, actor.organizationId);
}
