/**
 * CSV for spreadsheets: RFC 4180 fields and records (CRLF line ends; a field with a comma, a double quote, CR or LF
 * is quoted and its quotes doubled), a UTF-8 byte order mark so Excel reads accents right, and text cells that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR, the OWASP "CSV injection" list)
 * prefixed with `'`, which spreadsheets show as text. Numbers are written as they are: only text is neutralised.
 */

/** Put once at the start of the file (U+FEFF, as UTF-8 the bytes EF BB BF). */
export const CSV_BOM = "\uFEFF";

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: text neutralised against formulas, then quoted when it has to be. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ended by CRLF. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** A timestamp as spreadsheets read it without help: `YYYY-MM-DD HH:MM:SS` in UTC (the column header says UTC). */
export function csvDateTime(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 19).replace("T", " ") : "";
}
