/**
 * A real SMTP server for tests (`smtp-server`, on loopback), whose accepted messages are parsed with `mailparser`.
 * It can refuse messages (`refuseNext`), or hold its answer to DATA (`hold`) so a test can stop the app while a
 * delivery is in flight; a held message whose client goes away was never accepted, like with a real server.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A header's value as sent (unfolded), or undefined. */
  header(name: string): string | undefined;
  raw: string;
}

export interface TestSmtp {
  port: number;
  /** smtp://127.0.0.1:PORT */
  url: string;
  /** Messages this server accepted (answered 250 to), in order. */
  accepted: ReceivedMail[];
  /** Messages whose DATA arrived, accepted or not (a held one, too). */
  arrived: ReceivedMail[];
  /** The next `count` messages are answered with this SMTP reply (e.g. 451 or 550) instead of 250. */
  refuseNext(count: number, code: number, message?: string): void;
  /**
   * Holds every DATA answer until `release()`. `acceptHeld: true` records held messages as accepted at once (the
   * receiver stored the message; only the "250" has not reached the sender yet).
   */
  hold(opts?: { acceptHeld?: boolean }): { release(): void };
  /** How many SMTP connections are open now. */
  openConnections(): number;
  /** Waits until `predicate(accepted)` holds (polling; `timeoutMs` is a safety net, not an assertion). */
  waitFor(predicate: (accepted: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startTestSmtp(opts: { port?: number } = {}): Promise<TestSmtp> {
  const accepted: ReceivedMail[] = [];
  const arrived: ReceivedMail[] = [];
  const refusals: Array<{ code: number; message: string }> = [];
  let holding: { acceptHeld: boolean; waiting: Array<() => void> } | null = null;
  const closed = new Set<string>();
  const open = new Set<string>();

  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: STARTTLS would need a certificate the client trusts.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        void simpleParser(raw).then((parsed) => {
          const mail: ReceivedMail = {
            messageId: parsed.messageId ?? "",
            to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? ""),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            header: (name) => {
              const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
              return line
                ?.slice(line.indexOf(":") + 1)
                .replace(/\r?\n[ \t]+/g, " ")
                .trim();
            },
            raw,
          };
          arrived.push(mail);
          let recorded = false;
          const answer = () => {
            // The sender went away while we held the answer: it was never accepted (unless recorded as held).
            if (closed.has(session.id)) return;
            const refusal = refusals.shift();
            if (refusal) {
              const error = new Error(refusal.message) as Error & { responseCode: number };
              error.responseCode = refusal.code;
              callback(error);
              return;
            }
            if (!recorded) accepted.push(mail);
            callback(null, "Queued as test");
          };
          if (holding) {
            if (holding.acceptHeld) {
              accepted.push(mail);
              recorded = true;
            }
            holding.waiting.push(answer);
          } else answer();
        });
      });
    },
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onClose(session) {
      open.delete(session.id);
      closed.add(session.id);
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    arrived,
    refuseNext(count, code, message = code >= 500 ? "Mailbox unavailable" : "Try again later") {
      for (let i = 0; i < count; i++) refusals.push({ code, message });
    },
    hold(options = {}) {
      const state = { acceptHeld: options.acceptHeld ?? false, waiting: [] as Array<() => void> };
      holding = state;
      return {
        release() {
          if (holding === state) holding = null;
          for (const answer of state.waiting.splice(0)) answer();
        },
      };
    },
    openConnections: () => open.size,
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(accepted)) {
        if (Date.now() > deadline)
          throw new Error(`waited ${timeoutMs} ms; accepted so far: ${accepted.map((m) => m.to).join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return accepted;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reset link (path) in a password-reset message. */
export function resetPathIn(mail: ReceivedMail): string {
  const match = /\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text);
  if (!match) throw new Error(`no reset link in:\n${mail.text}`);
  return match[0];
}
