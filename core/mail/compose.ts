/**
 * Building e-mail bodies: a message is a list of blocks (paragraphs and links), rendered once as plain text and
 * once as simple, accessible HTML (a language, a title, real link texts with the address written out beside them,
 * no images, no layout tables), so both parts always say the same. Pure: templates in ./*.ts use it, and
 * db/queries/outbox.server.ts stores what they return.
 */

/** What a template returns and queueMail stores. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type MailBlock =
  /** A paragraph of plain text (no markup: it is escaped in the HTML part). */
  | string
  /** A link: its text says where it goes; the address is written out too, for clients that hide links. */
  | { label: string; url: string };

export interface MailContent {
  subject: string;
  /** The greeting line, e.g. "Hello Ada,". */
  greeting?: string;
  blocks: MailBlock[];
  /** A closing note in smaller print (why the person got this message). */
  footer?: string;
}

const SIGNATURE = "PinPoint";

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Only absolute http(s) addresses may become links: anything else in a link block is a bug. */
function checkedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`not a web address: ${url}`);
  return parsed.toString();
}

/** Renders the content as a text part and an HTML part. */
export function renderMail(content: MailContent): RenderedMail {
  const blocks = content.blocks.map((b) => (typeof b === "string" ? b : { label: b.label, url: checkedUrl(b.url) }));

  const textParts: string[] = [];
  if (content.greeting) textParts.push(content.greeting);
  for (const b of blocks) textParts.push(typeof b === "string" ? b : `${b.label}:\n${b.url}`);
  textParts.push(`– ${SIGNATURE}`);
  if (content.footer) textParts.push(`--\n${content.footer}`);

  const p = (inner: string, style = "") => `<p${style ? ` style="${style}"` : ""}>${inner}</p>`;
  const htmlParts: string[] = [];
  if (content.greeting) htmlParts.push(p(escapeHtml(content.greeting)));
  for (const b of blocks) {
    if (typeof b === "string") htmlParts.push(p(escapeHtml(b)));
    else
      htmlParts.push(
        p(`<a href="${escapeHtml(b.url)}" style="color:#1d4ed8;font-weight:bold">${escapeHtml(b.label)}</a>`),
        p(`Or open this address in your browser: ${escapeHtml(b.url)}`, "font-size:14px;word-break:break-all"),
      );
  }
  htmlParts.push(p(`– ${escapeHtml(SIGNATURE)}`));
  const footer = content.footer ? `\n<hr>\n${p(escapeHtml(content.footer), "font-size:14px;color:#475569")}` : "";

  const html = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(content.subject)}</title>`,
    "</head>",
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1e293b;max-width:40em">',
    `${htmlParts.join("\n")}${footer}`,
    "</body>",
    "</html>",
    "",
  ].join("\n");

  return { subject: content.subject, text: `${textParts.join("\n\n")}\n`, html };
}

/** Web addresses written in a text body (the admin outbox page lists them as links). */
export function linksInText(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}
