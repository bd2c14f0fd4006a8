/**
 * The maintenance log of a machine: dated notes tagged maintenance / parts / adjustment / upgrade / cleaning, optionally
 * about one of the machine's own issues, with up to three photos each (the issue photos' storage and re-encoding,
 * app/lib/uploads.server.ts). Writing needs machine:maintain; changing or deleting a note is for its author, or for
 * anyone who also holds machine:edit (core/maintenance.ts mayChangeNote). The machine page shows the notes on one
 * paginated timeline with the machine's issues.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import {
  MAINTENANCE_LIMITS,
  MAINTENANCE_TAGS,
  MAINTENANCE_TAG_LABEL,
  dayOf,
  isAllowedNoteDay,
  isMaintenanceTag,
  mayChangeNote,
} from "../../core/maintenance";
import { CATEGORY_LABELS } from "../../core/issue-rules";
import { machineExists } from "../../db/queries/machines.server";
import {
  countNotePhotos,
  deleteNotePhotoRow,
  deleteNoteRow,
  getNote,
  insertNote,
  insertNotePhoto,
  isIssueOfMachine,
  listMachineIssueOptions,
  listMachineTimeline,
  listNotePhotos,
  listNotesByIds,
  listTimelineIssues,
  lockNote,
  updateNoteRow,
} from "../../db/queries/maintenance.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { deleteStoredUpload, storeImageUpload } from "../lib/uploads.server";
import { requireCan, requireMemberActor, type Actor, type MemberActor } from "./actor";
import { notifyMaintenanceNote } from "./notification-mail.server";

const MACHINE_NOT_FOUND = "We could not find that machine.";
const NOTE_NOT_FOUND = "We could not find that note.";
const PER_NOTE = MAINTENANCE_LIMITS.photosPerNote;
const FULL = `A note can have at most ${PER_NOTE} photos. Delete one first.`;

// ---------------------------------------------------------------------------------------------------------------
// Input

/** A form value as text: a file or a repeated field where text belongs counts as empty. */
const text = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (typeof v === "string" ? v : ""), schema);

export const noteInput = z.object({
  performedOn: text(
    z
      .string()
      .trim()
      .refine((v) => isAllowedNoteDay(v), "Enter the day of the work (not in the future)"),
  ),
  tag: text(z.enum(MAINTENANCE_TAGS, { error: "Choose a kind of work from the list" })),
  content: text(
    z
      .string()
      .trim()
      .min(1, "Say what was done")
      .max(
        MAINTENANCE_LIMITS.contentChars,
        `Keep the note under ${MAINTENANCE_LIMITS.contentChars.toLocaleString("en-US")} characters`,
      ),
  ),
  issueId: text(fields.optionalId.transform((v) => v ?? null)),
});

export type NoteInput = z.infer<typeof noteInput>;

export const notePhotoRefInput = z.object({ photoId: fields.id });

/** The photo field of a note form (`oversized`: the file was over the upload limit and was dropped). */
export interface NoteUpload {
  file: unknown;
  oversized: boolean;
}

function chosenFile(upload: NoteUpload | undefined): File | null {
  if (!upload) return null;
  if (upload.oversized) throw new Failure("too_large", "The photo is too large: at most 5 MB.", { field: "photo" });
  return upload.file instanceof File && upload.file.size > 0 ? upload.file : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

async function checkLinkedIssue(db: DbOrTx, actor: Actor, machineId: string, issueId: string | null) {
  if (issueId && !(await isIssueOfMachine(db, actor.organizationId, machineId, issueId)))
    throw fail.invalid("Choose an issue of this machine, or none.", "issueId");
}

function mayChange(actor: Actor, note: { authorId: string | null }): boolean {
  return mayChangeNote({
    isAuthor: actor.user != null && note.authorId === actor.user.id,
    canMaintain: actor.can("machine:maintain"),
    canEditMachine: actor.can("machine:edit"),
  });
}

async function lockedChangeableNote(tx: DbOrTx, actor: MemberActor, noteId: string) {
  const note = await lockNote(tx, actor.organizationId, noteId);
  if (!note) throw fail.notFound(NOTE_NOT_FOUND);
  if (!mayChange(actor, note))
    throw fail.forbidden("Only its author, or someone who edits machines, can change a note.");
  return note;
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/**
 * Adds a note to the machine, with its photo when one was chosen (the file is removed again if nothing was stored),
 * and notifies the machine's watchers (./notification-mail.server.ts notifyMaintenanceNote).
 */
export async function addMaintenanceNote(
  actor: Actor,
  machineId: string,
  input: NoteInput,
  upload?: NoteUpload,
  now = new Date(),
): Promise<string> {
  requireMemberActor(actor, "machine:maintain");
  const { db, organizationId } = actor;
  const file = chosenFile(upload);
  if (file) requireCan(actor, "attachment:create");
  if (!(await machineExists(db, organizationId, machineId))) throw fail.notFound(MACHINE_NOT_FOUND);
  await checkLinkedIssue(db, actor, machineId, input.issueId);
  const stored = file ? await storeImageUpload(file, { organizationId, field: "photo" }) : null;
  try {
    return await withTransaction(db, async (tx) => {
      const noteId = await insertNote(tx, { ...input, organizationId, machineId, authorId: actor.user.id, now });
      if (stored)
        await insertNotePhoto(tx, {
          organizationId,
          noteId,
          file: {
            url: stored.path,
            thumbnailUrl: stored.thumbnailPath,
            fileName: stored.fileName,
            fileType: stored.fileType,
          },
          now,
        });
      // The machine's watchers hear of it (never the author), with the note in the same transaction.
      await notifyMaintenanceNote(tx, actor, {
        machineId,
        noteId,
        tagLabel: MAINTENANCE_TAG_LABEL[input.tag],
        content: input.content,
      });
      return noteId;
    });
  } catch (error) {
    if (stored) await deleteStoredUpload(stored.path, stored.thumbnailPath);
    throw error;
  }
}

export async function updateMaintenanceNote(actor: Actor, noteId: string, input: NoteInput): Promise<void> {
  requireMemberActor(actor, "machine:maintain");
  await withTransaction(actor.db, async (tx) => {
    const note = await lockedChangeableNote(tx, actor, noteId);
    await checkLinkedIssue(tx, actor, note.machineId, input.issueId);
    await updateNoteRow(tx, actor.organizationId, note.id, input);
  });
}

/** Deletes the note and its photos; answers its machine (the page to go back to). */
export async function deleteMaintenanceNote(actor: Actor, noteId: string, confirmed: boolean): Promise<string> {
  requireMemberActor(actor, "machine:maintain");
  if (!confirmed) throw fail.invalid("Tick the box to confirm the deletion.");
  const { machineId, photos } = await withTransaction(actor.db, async (tx) => {
    const note = await lockedChangeableNote(tx, actor, noteId);
    return { machineId: note.machineId, photos: await deleteNoteRow(tx, actor.organizationId, note.id) };
  });
  for (const p of photos) await deleteStoredUpload(p.url, p.thumbnailUrl);
  return machineId;
}

export async function addNotePhoto(actor: Actor, noteId: string, upload: NoteUpload): Promise<void> {
  requireMemberActor(actor, "machine:maintain");
  requireCan(actor, "attachment:create");
  const { db, organizationId } = actor;
  const file = chosenFile(upload);
  if (!file) throw fail.invalid("Choose a photo (JPEG, PNG or WebP).", "photo");
  const note = await getNote(db, organizationId, noteId);
  if (!note) throw fail.notFound(NOTE_NOT_FOUND);
  if (!mayChange(actor, note)) throw fail.forbidden();
  if ((await countNotePhotos(db, organizationId, noteId)) >= PER_NOTE) throw fail.invalid(FULL, "photo");
  const stored = await storeImageUpload(file, { organizationId, field: "photo" });
  try {
    await withTransaction(db, async (tx) => {
      await lockedChangeableNote(tx, actor, noteId);
      if ((await countNotePhotos(tx, organizationId, noteId)) >= PER_NOTE) throw fail.invalid(FULL, "photo");
      await insertNotePhoto(tx, {
        organizationId,
        noteId,
        file: {
          url: stored.path,
          thumbnailUrl: stored.thumbnailPath,
          fileName: stored.fileName,
          fileType: stored.fileType,
        },
        now: new Date(),
      });
    });
  } catch (error) {
    await deleteStoredUpload(stored.path, stored.thumbnailPath);
    throw error;
  }
}

export async function deleteNotePhoto(actor: Actor, noteId: string, photoId: string): Promise<void> {
  requireMemberActor(actor, "machine:maintain");
  const removed = await withTransaction(actor.db, async (tx) => {
    await lockedChangeableNote(tx, actor, noteId);
    const row = await deleteNotePhotoRow(tx, actor.organizationId, noteId, photoId);
    if (!row) throw fail.notFound("That photo does not exist.");
    return row;
  });
  await deleteStoredUpload(removed.url, removed.thumbnailUrl);
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

/** The form's choices: the kinds of work and the machine's issues a note may point at. */
export async function noteFormOptions(actor: Actor, machineId: string) {
  const issueOptions = actor.can("issue:view")
    ? await listMachineIssueOptions(actor.db, actor.organizationId, machineId)
    : [];
  return {
    tags: MAINTENANCE_TAGS.map((t) => ({ id: t, name: MAINTENANCE_TAG_LABEL[t] })),
    issues: issueOptions.map((i) => ({ id: i.id, name: i.title })),
  };
}

export type TimelineItem =
  | {
      kind: "issue";
      id: string;
      at: string;
      when: string;
      title: string;
      status: string;
      priorityName: string;
    }
  | {
      kind: "note";
      id: string;
      at: string;
      day: string;
      tag: string;
      content: string;
      authorName: string;
      issue: { id: string; title: string } | null;
      photos: { id: string; fileName: string }[];
      canChange: boolean;
    };

/**
 * One page of the machine's timeline: its issues (when the actor may see issues) and its notes, newest first, with
 * what the actor may do with each note. `page` is 1-based and bounded.
 */
export async function loadMachineTimeline(actor: Actor, machineId: string, page: number, now = new Date()) {
  requireCan(actor, "machine:view");
  const { db, organizationId } = actor;
  const pageSize = MAINTENANCE_LIMITS.timelinePageSize;
  const includeIssues = actor.can("issue:view");
  const { entries, total } = await listMachineTimeline(db, organizationId, machineId, {
    includeIssues,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const noteIds = entries.filter((e) => e.kind === "note").map((e) => e.id);
  const [notes, photos, issueRows] = await Promise.all([
    listNotesByIds(db, organizationId, noteIds),
    listNotePhotos(db, organizationId, noteIds),
    listTimelineIssues(
      db,
      organizationId,
      entries.filter((e) => e.kind === "issue").map((e) => e.id),
    ),
  ]);
  const noteById = new Map(notes.map((n) => [n.id, n]));
  const issueById = new Map(issueRows.map((i) => [i.id, i]));
  const items = entries.flatMap((e): TimelineItem[] => {
    if (e.kind === "issue") {
      const i = issueById.get(e.id);
      if (!i) return [];
      return [
        {
          kind: "issue",
          id: i.id,
          at: e.at,
          when: dateFormatterFor(actor.organization).relative(e.at, now),
          title: i.title,
          status: `${i.statusName} (${CATEGORY_LABELS[i.category]})`,
          priorityName: i.priorityName,
        },
      ];
    }
    const n = noteById.get(e.id);
    if (!n) return [];
    return [
      {
        kind: "note",
        id: n.id,
        at: e.at,
        day: n.performedOn,
        tag: isMaintenanceTag(n.tag) ? MAINTENANCE_TAG_LABEL[n.tag] : n.tag,
        content: n.content,
        authorName: n.authorName ?? "Someone",
        issue: n.issueId && n.issueTitle && includeIssues ? { id: n.issueId, title: n.issueTitle } : null,
        photos: photos.filter((p) => p.noteId === n.id).map((p) => ({ id: p.id, fileName: p.fileName })),
        canChange: mayChange(actor, n),
      },
    ];
  });
  return { items, total, page, pageSize, today: dayOf(now) };
}

/** The edit page of one note of the machine: refused unless the actor may change it. */
export async function loadNoteEditPage(actor: Actor, machineId: string, noteId: string) {
  requireMemberActor(actor, "machine:maintain");
  const note = await getNote(actor.db, actor.organizationId, noteId, machineId);
  if (!note) throw fail.notFound(NOTE_NOT_FOUND);
  if (!mayChange(actor, note))
    throw fail.forbidden("Only its author, or someone who edits machines, can change a note.");
  const [options, photos] = await Promise.all([
    noteFormOptions(actor, machineId),
    listNotePhotos(actor.db, actor.organizationId, [note.id]),
  ]);
  return {
    note: {
      id: note.id,
      machineId: note.machineId,
      performedOn: note.performedOn,
      tag: note.tag,
      content: note.content,
      issueId: note.issueId ?? "",
    },
    photos: photos.map((p) => ({ id: p.id, fileName: p.fileName })),
    canAddPhoto: actor.can("attachment:create") && photos.length < PER_NOTE,
    options,
  };
}
