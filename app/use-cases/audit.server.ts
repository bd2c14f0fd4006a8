/** The audit log from use cases: who did it (the actor's user) and from which client address (the actor's). */
import { recordAudit, type AuditEntry } from "../../db/queries/audit.server";
import type { Actor } from "./actor";

/** Kept as a name for readability where a use case only audits. */
export type AuditActor = Actor;

/** Writes one audit row for the actor's organization; pass the transaction of the change it records. */
export function auditBy(
  db: Actor["db"],
  actor: AuditActor,
  entry: Omit<AuditEntry, "organizationId" | "actorId" | "ipAddress">,
) {
  return recordAudit(db, {
    organizationId: actor.organizationId,
    actorId: actor.user?.id ?? null,
    ipAddress: actor.ipAddress,
    ...entry,
  });
}
