/**
 * Extra headers a message may carry (stored with it in MailOutbox.headers; server/mail/compose.ts sends only the
 * names in MAIL_HEADER_NAMES, so a template cannot override From, To or Subject).
 */

/** Headers that messages may set. */
export const MAIL_HEADER_NAMES = ["List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "In-Reply-To", "References"];

/**
 * One-click unsubscribe (RFC 8058) for every notification: the address must accept a POST with the body
 * `List-Unsubscribe=One-Click` and unsubscribe without further questions, and the message should also show the
 * link in its body. (Not for account messages such as password resets: those cannot be turned off.)
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  const url = new URL(unsubscribeUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`not a web address: ${unsubscribeUrl}`);
  return { "List-Unsubscribe": `<${url.toString()}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
