/**
 * The machine picker of the issue list's filter and of /issues/new. A native <select> stays usable (type-ahead,
 * phones) up to a few hundred options; the largest organizations have thousands of machines, which made the issue
 * list 400 KB of <option>s. Above MACHINE_PICKER_CAP the picker lists nothing until a location is chosen, then that
 * location's machines; a machine chosen elsewhere (a link from its page) stays selectable.
 */
import type { DbOrTx } from "../../db/client.server";
import { listMachineOptions } from "../../db/queries/issues.server";

export const MACHINE_PICKER_CAP = 300;

export type MachineOption = Awaited<ReturnType<typeof listMachineOptions>>[number];

export async function loadMachinePicker(
  db: DbOrTx,
  organizationId: string,
  opts: { locationId?: string; machineId?: string },
): Promise<{ machines: MachineOption[]; needsLocation: boolean }> {
  // With a location chosen there is nothing left to narrow by: all of its machines, however many.
  const rows = await listMachineOptions(db, organizationId, {
    locationId: opts.locationId,
    limit: opts.locationId ? undefined : MACHINE_PICKER_CAP + 1,
  });
  const needsLocation = !opts.locationId && rows.length > MACHINE_PICKER_CAP;
  let machines = needsLocation ? [] : rows;
  if (opts.machineId && !machines.some((m) => m.id === opts.machineId)) {
    machines = [...(await listMachineOptions(db, organizationId, { machineId: opts.machineId })), ...machines];
  }
  return { machines, needsLocation };
}
