/** Column builders shared by the schema files (no tables here). */
import { createId } from "@paralleldrive/cuid2";
import { text, timestamp } from "drizzle-orm/pg-core";

/** Prisma `timestamp(3) without time zone`, as JS Dates. */
export function ts(name: string) {
  return timestamp(name, { precision: 3, mode: "date" });
}

/** Text primary key `id`, a cuid2 made in JS (as Prisma's `@default(cuid())`). */
export function idColumn() {
  return text("id").primaryKey().$defaultFn(createId);
}

/** `updatedAt`, set on insert and bumped by Drizzle on every update (as Prisma's `@updatedAt`). */
export function updatedAt() {
  return ts("updatedAt")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
}

/** `createdAt` and `updatedAt`; spread into a table's columns. */
export function timestamps() {
  return { createdAt: ts("createdAt").notNull().defaultNow(), updatedAt: updatedAt() };
}
