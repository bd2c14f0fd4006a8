/**
 * Machine presence: members with machine:edit say where a cabinet is (core/machine-presence.ts). Each change is
 * recorded with who and when; a machine off the floor takes no reports (./reports.server.ts) and leaves the status
 * board (db/queries/status-board.server.ts).
 */
import { z } from "zod";
import { fail } from "../../core/failure";
import { MACHINE_PRESENCES, PRESENCE_LABEL } from "../../core/machine-presence";
import {
  insertPresenceChange,
  lockMachinePresence,
  setMachinePresence,
} from "../../db/queries/machine-presence.server";
import { withTransaction } from "../../db/transaction.server";
import { requireMemberActor, type Actor } from "./actor";

const NOT_FOUND = "We could not find that machine.";

export const presenceInput = z.object({
  presence: z.enum(MACHINE_PRESENCES, { error: "Choose where the machine is from the list." }),
});

/** Moves the machine to `presence` and records the change; the same value again is refused (nothing to record). */
export async function changeMachinePresence(
  actor: Actor,
  machineId: string,
  input: z.infer<typeof presenceInput>,
  now = new Date(),
): Promise<string> {
  requireMemberActor(actor, "machine:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const current = await lockMachinePresence(tx, organizationId, machineId);
    if (current === null) throw fail.notFound(NOT_FOUND);
    if (current === input.presence)
      throw fail.invalid(`The machine is already marked “${PRESENCE_LABEL[input.presence]}”.`, "presence");
    await setMachinePresence(tx, organizationId, machineId, input.presence);
    await insertPresenceChange(tx, {
      organizationId,
      machineId,
      from: current,
      to: input.presence,
      actorId: actor.user.id,
      at: now,
    });
    return `Marked “${PRESENCE_LABEL[input.presence]}”.`;
  });
}
