/**
 * Machine presence (core/machine-presence.ts): the current value on Machine.presence and its history in
 * MachinePresenceChange. app/use-cases/machine-presence.server.ts locks the machine and writes both in one transaction.
 */
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { machinePresenceChanges, machines, users } from "../schema";

/** The machine's presence, or null when it is not in the organization. */
export async function getMachinePresence(db: DbOrTx, organizationId: string, machineId: string) {
  const [row] = await db
    .select({ presence: machines.presence })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .limit(1);
  return row?.presence ?? null;
}

/** Locks the machine row and answers its presence; null when it is not in the organization. */
export async function lockMachinePresence(tx: DbOrTx, organizationId: string, machineId: string) {
  const [row] = await tx
    .select({ presence: machines.presence })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .for("update")
    .limit(1);
  return row?.presence ?? null;
}

export async function setMachinePresence(
  tx: DbOrTx,
  organizationId: string,
  machineId: string,
  presence: string,
): Promise<void> {
  await tx
    .update(machines)
    .set({ presence })
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)));
}

export async function insertPresenceChange(
  tx: DbOrTx,
  input: { organizationId: string; machineId: string; from: string; to: string; actorId: string | null; at: Date },
): Promise<void> {
  await tx.insert(machinePresenceChanges).values({
    organizationId: input.organizationId,
    machineId: input.machineId,
    fromPresence: input.from,
    toPresence: input.to,
    actorId: input.actorId,
    changedAt: input.at,
  });
}

/** The machine's latest presence changes, newest first, with who made them. */
export async function listPresenceChanges(db: DbOrTx, organizationId: string, machineId: string, limit = 10) {
  return db
    .select({
      id: machinePresenceChanges.id,
      from: machinePresenceChanges.fromPresence,
      to: machinePresenceChanges.toPresence,
      changedAt: machinePresenceChanges.changedAt,
      actorName: users.name,
    })
    .from(machinePresenceChanges)
    .leftJoin(users, eq(users.id, machinePresenceChanges.actorId))
    .where(
      and(eq(machinePresenceChanges.organizationId, organizationId), eq(machinePresenceChanges.machineId, machineId)),
    )
    .orderBy(desc(machinePresenceChanges.changedAt), desc(machinePresenceChanges.id))
    .limit(limit);
}
