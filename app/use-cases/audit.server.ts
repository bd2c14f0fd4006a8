/**
 * The audit log from use cases: who did it (the actor's user) and from which client address. The address is HTTP's
 * business, so the route adds it to the actor (`{ ...actor, ipAddress: clientIp(args.context) }`); a use case called
 * without one logs no address.
 */
import { recordAudit, type AuditEntry } from "../../db/queries/audit.server";
import type { Actor } from "./actor";

export type AuditActor = Actor & { ipAddress?: string | null };

/** Writes one audit row for the actor's organization; pass the transaction of the change it records. */
export function auditBy(db: Actor["db"], actor: AuditActor, entry: Omit<AuditEntry, "organizationId" | "actorId" | "ipAddress">) {
  return recordAudit(db, { organizationId: actor.organizationId, actorId: actor.user?.id ?? null, ipAddress: actor.ipAddress, ...entry });
}
