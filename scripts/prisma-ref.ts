/**
 * Generates db/prisma/schema.prisma FROM the Drizzle schema (tables, enums, indexes, foreign keys and relations),
 * as a readable reference for people who know the original Prisma schema. It is never used at run time.
 *
 *   npm run db:prisma-ref          # rewrite db/prisma/schema.prisma
 *   npm run db:prisma-ref -- --check   # exit 1 when the committed file is stale
 *
 * Output is deterministic (models and enums sorted by name, fields in column order, then relation fields in the
 * order of db/schema/index.ts). Prisma cannot express partial or expression indexes and CHECK constraints; those are
 * written as comments. Implicit many-to-many join tables (`_RolePermissions`, `_CollectionToMachine`) become list
 * relations, as in the original.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  getTableColumns,
  is,
  Many,
  normalizeRelation,
  One,
  SQL,
  type Relation,
  type TableRelationalConfig,
} from "drizzle-orm";
import {
  getTableConfig,
  isPgEnum,
  PgDialect,
  PgTable,
  type ForeignKey,
  type Index,
  type PgColumn,
  type PgEnum,
} from "drizzle-orm/pg-core";
import * as schema from "../db/schema";

const here = path.dirname(fileURLToPath(import.meta.url));
export const PRISMA_REF_PATH = path.resolve(here, "..", "db", "prisma", "schema.prisma");

const dialect = new PgDialect();

const HEADER = `// GENERATED FILE: do not edit. Source: db/schema/*.ts (Drizzle); regenerate with \`npm run db:prisma-ref\`.
// A Prisma rendering of the Drizzle schema, for comparison with the original PinPoint Prisma schema.
// Not used at run time: the app uses Drizzle and the SQL migrations in ./migrations. Deliberate deviations from the
// original are listed in db/PARITY.md. Partial/expression indexes and CHECK constraints, which Prisma cannot express,
// appear as comments.

generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
`;

interface ModelInfo {
  tsName: string;
  table: PgTable;
  name: string; // table name = Prisma model name
  config: ReturnType<typeof getTableConfig>;
  /** db column name → Prisma field name (the TS property key). */
  fieldOf: Map<string, string>;
  columns: Map<string, PgColumn>; // TS key → column
  relational: TableRelationalConfig;
}

interface JoinInfo {
  /** Relation name: table name without the leading underscore. */
  relationName: string;
  /** Model referenced by column A and by column B. */
  a: string;
  b: string;
}

const ON_DELETE: Record<string, string> = {
  cascade: "Cascade",
  restrict: "Restrict",
  "set null": "SetNull",
  "no action": "NoAction",
  "set default": "SetDefault",
};

/** Locale-independent ordering, so the output is the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lcFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function pad(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join(" ")
      .trimEnd(),
  );
}

/** prisma format's order of field attributes (it reorders them to this, whatever order they were written in). */
const ATTRIBUTE_ORDER = ["@id", "@unique", "@default", "@updatedAt", "@map", "@db.", "@relation"];

function canonicalOrder(attrs: string[]): string[] {
  const rank = (a: string) => {
    const i = ATTRIBUTE_ORDER.findIndex(
      (prefix) => a === prefix || a.startsWith(prefix.endsWith(".") ? prefix : `${prefix}(`),
    );
    if (i < 0) throw new Error(`prisma-ref: no place for the attribute ${a} in ATTRIBUTE_ORDER`);
    return i;
  };
  return [...attrs].sort((x, y) => rank(x) - rank(y));
}

function sqlText(value: SQL): string {
  return dialect.sqlToQuery(value).sql;
}

function prismaType(column: PgColumn): { type: string; native?: string } {
  const e = (column as unknown as { enum?: PgEnum<[string, ...string[]]> }).enum;
  if (e) return { type: e.enumName };
  const sqlType = column.getSQLType();
  switch (sqlType) {
    case "text":
      return { type: "String" };
    case "integer":
      return { type: "Int" };
    case "bigint":
      return { type: "BigInt" };
    case "boolean":
      return { type: "Boolean" };
    case "double precision":
      return { type: "Float" };
    case "real":
      return { type: "Float", native: "@db.Real" };
    case "jsonb":
      return { type: "Json" };
    case "json":
      return { type: "Json", native: "@db.Json" };
    case "timestamp (3)":
      return { type: "DateTime" };
    case "date":
      return { type: "DateTime", native: "@db.Date" };
    default: {
      const ts = /^timestamp(?: \((\d)\))?( with time zone)?$/.exec(sqlType);
      if (ts) return { type: "DateTime", native: `@db.${ts[2] ? "Timestamptz" : "Timestamp"}(${ts[1] ?? 6})` };
      throw new Error(`prisma-ref: no Prisma type for SQL type "${sqlType}" (${column.name})`);
    }
  }
}

function prismaDefault(column: PgColumn, type: string, isEnum: boolean): string | undefined {
  if (column.defaultFn) {
    // Every $defaultFn in the schema is cuid2's createId (Prisma: cuid(2)).
    if (type === "String") return "@default(cuid(2))";
    throw new Error(`prisma-ref: unsupported $defaultFn on ${column.name}`);
  }
  if (!column.hasDefault || column.default === undefined) return undefined;
  const d: unknown = column.default;
  if (is(d, SQL)) {
    const text = sqlText(d);
    if (text === "now()") return "@default(now())";
    if (text === "gen_random_uuid()") return '@default(dbgenerated("gen_random_uuid()"))';
    return `@default(dbgenerated(${JSON.stringify(text)}))`;
  }
  if (typeof d === "boolean" || typeof d === "number") return `@default(${d})`;
  if (typeof d === "string") return isEnum ? `@default(${d})` : `@default(${JSON.stringify(d)})`;
  // A JSON column's literal default (e.g. `{}`): Prisma writes it as a JSON string.
  if (type === "Json" && d !== null && typeof d === "object") return `@default(${JSON.stringify(JSON.stringify(d))})`;
  throw new Error(`prisma-ref: unsupported default on ${column.name}`);
}

function indexColumns(idx: Index): (string | null)[] {
  return idx.config.columns.map((c) => (is(c, SQL) ? null : ((c as { name?: string }).name ?? null)));
}

function describeIndex(model: ModelInfo, idx: Index): string {
  const cols = idx.config.columns
    .map((c) => (is(c, SQL) ? sqlText(c) : `"${(c as { name: string }).name}"`))
    .join(", ");
  const method = idx.config.method && idx.config.method !== "btree" ? ` USING ${idx.config.method}` : "";
  const where = idx.config.where ? ` WHERE ${sqlText(idx.config.where)}` : "";
  return `// ${idx.config.unique ? "UNIQUE " : ""}INDEX "${idx.config.name}" ON "${model.name}"${method} (${cols})${where}`;
}

/** True when Prisma can express the index (plain btree over columns, no WHERE). */
function isPlainIndex(idx: Index): boolean {
  return !idx.config.where && (idx.config.method ?? "btree") === "btree" && indexColumns(idx).every((c) => c !== null);
}

function fkFor(model: ModelInfo, columnNames: string[]): ForeignKey {
  const fk = model.config.foreignKeys.find((f) => {
    const cols = f.reference().columns.map((c) => c.name);
    return cols.length === columnNames.length && cols.every((c, i) => c === columnNames[i]);
  });
  if (!fk) throw new Error(`prisma-ref: no foreign key on ${model.name}(${columnNames.join(", ")})`);
  return fk;
}

export function generatePrismaSchema(): string {
  const { tables, tableNamesMap } = extractTablesRelationalConfig(
    schema as unknown as Record<string, unknown>,
    createTableRelationsHelpers,
  );
  const schemaRecord = schema as unknown as Record<string, unknown>;

  // Tables -------------------------------------------------------------------------------------------------------
  const models = new Map<string, ModelInfo>();
  const joins = new Map<string, JoinInfo>(); // table name → join info
  for (const [tsName, relational] of Object.entries(tables)) {
    const table = schemaRecord[tsName];
    if (!is(table, PgTable)) throw new Error(`prisma-ref: ${tsName} is not a table`);
    const config = getTableConfig(table);
    const columns = new Map(Object.entries(getTableColumns(table)) as [string, PgColumn][]);
    const fieldOf = new Map([...columns].map(([key, col]) => [col.name, key]));
    const info: ModelInfo = { tsName, table, name: config.name, config, fieldOf, columns, relational };
    const colNames = config.columns.map((c) => c.name).sort();
    if (config.name.startsWith("_") && colNames.join(",") === "A,B") {
      const target = (col: string) => getTableConfig(fkFor(info, [col]).reference().foreignTable).name;
      joins.set(config.name, { relationName: config.name.slice(1), a: target("A"), b: target("B") });
    } else {
      models.set(config.name, info);
    }
  }
  const tableNameOfTs = (tsName: string) => {
    const t = schemaRecord[tsName];
    return is(t, PgTable) ? getTableConfig(t).name : tsName;
  };

  // Every relation must resolve (drizzle throws on ambiguous or one-sided reverse relations).
  for (const m of Object.values(tables)) {
    for (const rel of Object.values(m.relations)) normalizeRelation(tables, tableNamesMap, rel);
  }

  // Enums --------------------------------------------------------------------------------------------------------
  const enums = Object.values(schemaRecord)
    .filter((v): v is PgEnum<[string, ...string[]]> => isPgEnum(v))
    .sort((x, y) => compare(x.enumName, y.enumName));
  const enumNames = new Set(enums.map((e) => e.enumName));

  const out: string[] = [HEADER];

  // Models -------------------------------------------------------------------------------------------------------
  for (const model of [...models.values()].sort((x, y) => compare(x.name, y.name))) {
    const { config } = model;
    const pkCols = config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
    const singleUniques = new Map<string, Index>();
    const blockLines: string[] = [];
    const comments: string[] = [];
    for (const idx of config.indexes) {
      const cols = indexColumns(idx);
      const name = idx.config.name ?? "";
      if (!isPlainIndex(idx)) {
        comments.push(describeIndex(model, idx));
        continue;
      }
      const dbCols = cols as string[];
      const fields = dbCols.map((c) => model.fieldOf.get(c) ?? c);
      const defaultName = `${model.name}_${dbCols.join("_")}_${idx.config.unique ? "key" : "idx"}`;
      const map = name && name !== defaultName ? `, map: "${name}"` : "";
      if (idx.config.unique && dbCols.length === 1) {
        singleUniques.set(dbCols[0], idx);
      } else if (idx.config.unique) {
        blockLines.push(`@@unique([${fields.join(", ")}]${map})`);
      } else {
        blockLines.push(`@@index([${fields.join(", ")}]${map})`);
      }
    }
    for (const pk of config.primaryKeys) {
      if (pk.columns.length > 1)
        blockLines.unshift(`@@id([${pk.columns.map((c) => model.fieldOf.get(c.name)).join(", ")}])`);
    }
    for (const chk of config.checks) comments.push(`// CHECK "${chk.name}": ${sqlText(chk.value)}`);

    const rows: string[][] = [];
    for (const [key, column] of model.columns) {
      const { type, native } = prismaType(column);
      const isEnum = enumNames.has(type);
      const attrs: string[] = [];
      if (column.primary || (pkCols.length === 1 && pkCols[0] === column.name)) attrs.push("@id");
      const def = prismaDefault(column, type, isEnum);
      if (def) attrs.push(def);
      const uq = singleUniques.get(column.name);
      if (uq) {
        const defaultName = `${model.name}_${column.name}_key`;
        attrs.push(uq.config.name && uq.config.name !== defaultName ? `@unique(map: "${uq.config.name}")` : "@unique");
      }
      if (column.onUpdateFn) attrs.push("@updatedAt");
      if (key !== column.name) attrs.push(`@map("${column.name}")`);
      if (native) attrs.push(native);
      rows.push([key, `${type}${column.notNull ? "" : "?"}`, canonicalOrder(attrs).join(" ")]);
    }

    // Relation fields, in declaration order.
    for (const [fieldName, rel] of Object.entries(model.relational.relations) as [string, Relation][]) {
      const targetTable = tableNameOfTs(tableNamesMap[rel.referencedTableName] ?? rel.referencedTableName);
      const join = joins.get(targetTable);
      if (join) {
        const other = join.a === model.name ? join.b : join.a;
        const isDefaultName = join.relationName === [join.a, join.b].sort().join("To");
        rows.push([`${lcFirst(other)}s`, `${other}[]`, isDefaultName ? "" : `@relation("${join.relationName}")`]);
        continue;
      }
      const target = models.get(targetTable);
      if (!target) throw new Error(`prisma-ref: relation ${model.name}.${fieldName} → unknown table ${targetTable}`);
      const named = rel.relationName ? `"${rel.relationName}"` : "";
      if (is(rel, One) && rel.config?.fields?.length) {
        const fieldCols = rel.config.fields.map((c) => c.name);
        const refCols = rel.config.references.map((c) => c.name);
        const fk = fkFor(model, fieldCols);
        const optional = fieldCols.some((c) => !config.columns.find((x) => x.name === c)?.notNull);
        const parts = [
          named,
          `fields: [${fieldCols.map((c) => model.fieldOf.get(c)).join(", ")}]`,
          `references: [${refCols.map((c) => target.fieldOf.get(c)).join(", ")}]`,
          `onDelete: ${ON_DELETE[fk.onDelete ?? "no action"]}`,
        ].filter(Boolean);
        if (fk.onUpdate && fk.onUpdate !== "cascade") parts.push(`onUpdate: ${ON_DELETE[fk.onUpdate]}`);
        rows.push([fieldName, `${target.name}${optional ? "?" : ""}`, `@relation(${parts.join(", ")})`]);
        assertBackRelation(model, target, rel, fieldName);
      } else if (is(rel, One)) {
        rows.push([fieldName, `${target.name}?`, named ? `@relation(${named})` : ""]);
      } else if (is(rel, Many)) {
        rows.push([fieldName, `${target.name}[]`, named ? `@relation(${named})` : ""]);
      }
    }

    // prisma format's layout: the comments right after the fields (it moves comments that follow the last block
    // attribute there), then a blank line and the block attributes.
    out.push(`model ${model.name} {`);
    for (const line of pad(rows)) out.push(`  ${line}`);
    for (const line of comments) out.push(`  ${line}`);
    if (blockLines.length) out.push("");
    for (const line of blockLines) out.push(`  ${line}`);
    out.push("}", "");
  }

  // Join tables must be referenced from both sides.
  for (const [name, join] of joins) {
    for (const side of [join.a, join.b]) {
      const m = models.get(side);
      const ok =
        m &&
        Object.values(m.relational.relations).some(
          (r) => tableNameOfTs(tableNamesMap[r.referencedTableName] ?? r.referencedTableName) === name,
        );
      if (!ok) throw new Error(`prisma-ref: ${side} has no relation to join table ${name}`);
    }
  }

  // Enums --------------------------------------------------------------------------------------------------------
  for (const e of enums) {
    out.push(`enum ${e.enumName} {`);
    for (const v of e.enumValues) out.push(`  ${v}`);
    out.push("}", "");
  }

  return `${out.join("\n").trimEnd()}\n`;
}

/** Prisma needs both sides of every relation: the target must declare the back relation. */
function assertBackRelation(source: ModelInfo, target: ModelInfo, rel: Relation, fieldName: string): void {
  const back = Object.values(target.relational.relations).find(
    (r) =>
      getTableConfig(r.referencedTable as PgTable).name === source.name &&
      r.relationName === rel.relationName &&
      !(is(r, One) && r.config?.fields?.length),
  );
  if (!back) {
    throw new Error(
      `prisma-ref: ${source.name}.${fieldName} has no back relation on ${target.name}` +
        (rel.relationName ? ` (relationName "${rel.relationName}")` : ""),
    );
  }
}

function main(): void {
  const text = generatePrismaSchema();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(PRISMA_REF_PATH) ? fs.readFileSync(PRISMA_REF_PATH, "utf8") : "";
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), PRISMA_REF_PATH)} is stale: run npm run db:prisma-ref`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), PRISMA_REF_PATH)} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(PRISMA_REF_PATH), { recursive: true });
  fs.writeFileSync(PRISMA_REF_PATH, text);
  console.log(`wrote ${path.relative(process.cwd(), PRISMA_REF_PATH)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
