/**
 * The maintenance log (MaintenanceNote, MaintenancePhoto) and the machine timeline that merges its notes with the
 * machine's issues. One statement per helper, every one scoped by organizationId; app/use-cases/maintenance.server.ts
 * checks the rules and opens the transactions.
 */
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client.server";
import { issueStatuses, issues, maintenanceNotes, maintenancePhotos, priorities, users } from "../schema";

const ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

export interface NoteFields {
  performedOn: string;
  tag: string;
  content: string;
  issueId: string | null;
}

export async function insertNote(
  tx: DbOrTx,
  input: NoteFields & { organizationId: string; machineId: string; authorId: string; now: Date },
): Promise<string> {
  const [row] = await tx
    .insert(maintenanceNotes)
    .values({
      organizationId: input.organizationId,
      machineId: input.machineId,
      authorId: input.authorId,
      issueId: input.issueId,
      performedOn: input.performedOn,
      tag: input.tag,
      content: input.content,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning({ id: maintenanceNotes.id });
  return row.id;
}

const noteColumns = {
  id: maintenanceNotes.id,
  machineId: maintenanceNotes.machineId,
  authorId: maintenanceNotes.authorId,
  issueId: maintenanceNotes.issueId,
  performedOn: maintenanceNotes.performedOn,
  tag: maintenanceNotes.tag,
  content: maintenanceNotes.content,
  createdAt: maintenanceNotes.createdAt,
  updatedAt: maintenanceNotes.updatedAt,
};

/** A note of the organization (optionally of one machine), or null. */
export async function getNote(db: DbOrTx, organizationId: string, noteId: string, machineId?: string) {
  const [row] = await db
    .select(noteColumns)
    .from(maintenanceNotes)
    .where(
      and(
        eq(maintenanceNotes.id, noteId),
        eq(maintenanceNotes.organizationId, organizationId),
        machineId ? eq(maintenanceNotes.machineId, machineId) : undefined,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The note, locked for the rest of the transaction; null when it is not in the organization. */
export async function lockNote(tx: DbOrTx, organizationId: string, noteId: string) {
  const [row] = await tx
    .select(noteColumns)
    .from(maintenanceNotes)
    .where(and(eq(maintenanceNotes.id, noteId), eq(maintenanceNotes.organizationId, organizationId)))
    .for("update")
    .limit(1);
  return row ?? null;
}

export async function updateNoteRow(
  tx: DbOrTx,
  organizationId: string,
  noteId: string,
  fields: NoteFields,
): Promise<void> {
  await tx
    .update(maintenanceNotes)
    .set(fields)
    .where(and(eq(maintenanceNotes.id, noteId), eq(maintenanceNotes.organizationId, organizationId)));
}

/** Deletes the note (its photos' rows go with it); answers the photos' storage keys for removal after commit. */
export async function deleteNoteRow(tx: DbOrTx, organizationId: string, noteId: string) {
  const photos = await tx
    .select({ url: maintenancePhotos.url, thumbnailUrl: maintenancePhotos.thumbnailUrl })
    .from(maintenancePhotos)
    .where(and(eq(maintenancePhotos.noteId, noteId), eq(maintenancePhotos.organizationId, organizationId)));
  await tx
    .delete(maintenanceNotes)
    .where(and(eq(maintenanceNotes.id, noteId), eq(maintenanceNotes.organizationId, organizationId)));
  return photos;
}

export async function countNotePhotos(db: DbOrTx, organizationId: string, noteId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(maintenancePhotos)
    .where(and(eq(maintenancePhotos.noteId, noteId), eq(maintenancePhotos.organizationId, organizationId)));
  return Number(row?.n ?? 0);
}

export async function insertNotePhoto(
  tx: DbOrTx,
  input: {
    organizationId: string;
    noteId: string;
    file: { url: string; thumbnailUrl: string | null; fileName: string; fileType: string };
    now: Date;
  },
): Promise<void> {
  await tx.insert(maintenancePhotos).values({
    organizationId: input.organizationId,
    noteId: input.noteId,
    ...input.file,
    createdAt: input.now,
  });
}

/** Deletes one photo of the note; answers its storage keys (null when there is none). */
export async function deleteNotePhotoRow(tx: DbOrTx, organizationId: string, noteId: string, photoId: string) {
  const [row] = await tx
    .delete(maintenancePhotos)
    .where(
      and(
        eq(maintenancePhotos.id, photoId),
        eq(maintenancePhotos.noteId, noteId),
        eq(maintenancePhotos.organizationId, organizationId),
      ),
    )
    .returning({ url: maintenancePhotos.url, thumbnailUrl: maintenancePhotos.thumbnailUrl });
  return row ?? null;
}

/** The photos of these notes of the organization, oldest first. */
export async function listNotePhotos(db: DbOrTx, organizationId: string, noteIds: string[]) {
  if (!noteIds.length) return [];
  return db
    .select({ id: maintenancePhotos.id, noteId: maintenancePhotos.noteId, fileName: maintenancePhotos.fileName })
    .from(maintenancePhotos)
    .where(and(eq(maintenancePhotos.organizationId, organizationId), inArray(maintenancePhotos.noteId, noteIds)))
    .orderBy(asc(maintenancePhotos.createdAt), asc(maintenancePhotos.id));
}

/** The stored file of a maintenance photo in the organization (for the download route). */
export async function findMaintenancePhotoFile(db: DbOrTx, organizationId: string, photoId: string) {
  const [row] = await db
    .select({
      id: maintenancePhotos.id,
      url: maintenancePhotos.url,
      thumbnailUrl: maintenancePhotos.thumbnailUrl,
      fileName: maintenancePhotos.fileName,
      fileType: maintenancePhotos.fileType,
    })
    .from(maintenancePhotos)
    .where(and(eq(maintenancePhotos.id, photoId), eq(maintenancePhotos.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export async function countMachineNotes(db: DbOrTx, organizationId: string, machineId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(maintenanceNotes)
    .where(and(eq(maintenanceNotes.organizationId, organizationId), eq(maintenanceNotes.machineId, machineId)));
  return Number(row?.n ?? 0);
}

/** Whether the issue is one of this machine's, in this organization (a note may only point at those). */
export async function isIssueOfMachine(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  issueId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId), eq(issues.machineId, machineId)))
    .limit(1);
  return Boolean(row);
}

/** The machine's issues a note can point at: the latest 100, newest first. */
export async function listMachineIssueOptions(db: DbOrTx, organizationId: string, machineId: string) {
  return db
    .select({ id: issues.id, title: issues.title })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), eq(issues.machineId, machineId)))
    .orderBy(desc(issues.createdAt), desc(issues.id))
    .limit(100);
}

// ---------------------------------------------------------------------------------------------------------------
// The machine timeline: issues (by when they were reported) and notes (by the day of the work) in one order

/**
 * When a note sits on the timeline: the moment it was written when that was on the day of the work, else the start
 * of that day (a note written later about earlier work goes back to its day).
 */
const noteMoment = sql`case when ${maintenanceNotes.performedOn} = ${maintenanceNotes.createdAt}::date
  then ${maintenanceNotes.createdAt} else ${maintenanceNotes.performedOn}::timestamp(3) end`;

export interface TimelineEntryRef {
  kind: "issue" | "note";
  id: string;
  /** ISO 8601 (UTC). */
  at: string;
}

/** One page of the machine's timeline, newest first, and how many entries there are in all. */
export async function listMachineTimeline(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  opts: { includeIssues: boolean; limit: number; offset: number },
): Promise<{ entries: TimelineEntryRef[]; total: number }> {
  const notes = db
    .select({
      kind: sql<string>`'note'`.as("kind"),
      id: maintenanceNotes.id,
      sortAt: sql<string>`${noteMoment}`.as("sortAt"),
      at: sql<string>`to_char(${noteMoment}, ${ISO})`.as("at"),
    })
    .from(maintenanceNotes)
    .where(and(eq(maintenanceNotes.organizationId, organizationId), eq(maintenanceNotes.machineId, machineId)));
  const issueRows = db
    .select({
      kind: sql<string>`'issue'`.as("kind"),
      id: issues.id,
      sortAt: sql<string>`${issues.createdAt}`.as("sortAt"),
      at: sql<string>`to_char(${issues.createdAt}, ${ISO})`.as("at"),
    })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), eq(issues.machineId, machineId)));
  const page = opts.includeIssues ? unionAll(notes, issueRows) : notes;
  const rows = await page
    .orderBy(desc(sql`"sortAt"`), desc(sql`"id"`))
    .limit(opts.limit)
    .offset(opts.offset);
  const noteCount = await countMachineNotes(db, organizationId, machineId);
  let issueCount = 0;
  if (opts.includeIssues) {
    const [row] = await db
      .select({ n: count() })
      .from(issues)
      .where(and(eq(issues.organizationId, organizationId), eq(issues.machineId, machineId)));
    issueCount = Number(row?.n ?? 0);
  }
  return {
    entries: rows.map((r) => ({ kind: r.kind === "issue" ? "issue" : "note", id: r.id, at: r.at })),
    total: noteCount + issueCount,
  };
}

/** The notes of the organization with these ids, with their author's and linked issue's names. */
export async function listNotesByIds(db: DbOrTx, organizationId: string, noteIds: string[]) {
  if (!noteIds.length) return [];
  return db
    .select({
      ...noteColumns,
      authorName: users.name,
      issueTitle: issues.title,
    })
    .from(maintenanceNotes)
    .leftJoin(users, eq(users.id, maintenanceNotes.authorId))
    .leftJoin(
      issues,
      and(eq(issues.id, maintenanceNotes.issueId), eq(issues.organizationId, maintenanceNotes.organizationId)),
    )
    .where(and(eq(maintenanceNotes.organizationId, organizationId), inArray(maintenanceNotes.id, noteIds)));
}

/** The issues of the organization with these ids, as the timeline shows them. */
export async function listTimelineIssues(db: DbOrTx, organizationId: string, issueIds: string[]) {
  if (!issueIds.length) return [];
  return db
    .select({
      id: issues.id,
      title: issues.title,
      statusName: issueStatuses.name,
      category: issueStatuses.category,
      priorityName: priorities.name,
    })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(priorities, eq(priorities.id, issues.priorityId))
    .where(and(eq(issues.organizationId, organizationId), inArray(issues.id, issueIds)));
}
