/**
 * E-mail commands for the operator:
 *   outbox [--failed] [--retry-failed]   the messages not sent yet, every organization's and account messages
 *                                        (password resets) alike, newest first, with their text; --failed adds
 *                                        failed ones; --retry-failed makes failed messages pending again
 *   send-test <address>                  queues a test message and delivers it now through SMTP_URL, printing the
 *                                        SMTP server's answer or the error
 * With the embedded database, `outbox` needs the server stopped (like the db:* commands); `send-test` then sends the
 * message directly, without the outbox, and says so.
 */
import { testMail } from "../core/mail/account";
import { migrateDatabase, openDatabase, type DbHandle } from "../db/client.server";
import { DataDirLockedError } from "../db/lock.server";
import { claimMailById, listUnsentMail, queueMail, requeueFailedMail } from "../db/queries/outbox.server";
import { composeMessage } from "../server/mail/compose";
import { MailConfigError, mailConfigFromEnv, redactSmtpUrl, type MailConfig } from "../server/mail/config";
import { createSmtpTransport } from "../server/mail/transport";
import { MAIL_LEASE_SECONDS, deliverClaimed } from "../server/mail/worker";

const [command, ...rest] = process.argv.slice(2);
const url = process.env.DATABASE_URL || undefined;

const USAGE =
  "usage: npm run mail:outbox [-- --failed | --retry-failed]\n       npm run mail:send-test -- you@example.com";

/** The database, migrated like the server does on start (a fresh install may not have the outbox yet). */
async function open(): Promise<DbHandle> {
  const handle = await openDatabase({ url, lock: true });
  try {
    if (process.env.DB_AUTO_MIGRATE !== "false") await migrateDatabase(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function outbox() {
  const handle = await open();
  try {
    if (rest.includes("--retry-failed")) {
      const n = await requeueFailedMail(handle.db);
      console.log(`${n} failed message(s) are pending again; the server sends them when SMTP_URL is set.`);
      return;
    }
    const rows = await listUnsentMail(handle.db, { includeFailed: rest.includes("--failed"), limit: 100 });
    if (rows.length === 0) {
      console.log("The outbox holds no unsent messages.");
      return;
    }
    for (const m of rows.reverse()) {
      console.log("=".repeat(100));
      console.log(`${m.status.toUpperCase()}  ${m.kind}  queued ${m.createdAt.toISOString()}  id ${m.id}`);
      console.log(`To: ${m.toAddress}${m.organizationId ? "" : "  (account message)"}`);
      console.log(`Subject: ${m.subject}`);
      if (m.attempts) console.log(`Attempts: ${m.attempts}${m.lastError ? `, last error: ${m.lastError}` : ""}`);
      console.log("");
      console.log(m.textBody.trimEnd());
    }
    console.log("=".repeat(100));
    console.log(`${rows.length} message(s), oldest first${rows.length === 100 ? " (the newest 100)" : ""}.`);
  } finally {
    await handle.close();
  }
}

async function sendTest(config: MailConfig & { smtpUrl: string }) {
  const to = rest.find((a) => !a.startsWith("-"));
  if (!to || !/^[^\s@]+@[^\s@]+$/.test(to)) {
    console.error(USAGE);
    process.exit(2);
  }
  console.log(`Sending a test message to ${to} through ${redactSmtpUrl(config.smtpUrl)} as ${config.from} …`);
  const message = testMail({ sentAt: new Date().toISOString() });
  const transport = createSmtpTransport(config.smtpUrl);
  let handle;
  try {
    handle = await open();
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.log("The embedded database is in use by the running server: sending directly, not through the outbox.");
    try {
      const info = await transport.sendMail(
        composeMessage(
          {
            id: `test-${Date.now()}`,
            toAddress: to,
            ...{ subject: message.subject, textBody: message.text, htmlBody: message.html },
            headers: {},
            createdAt: new Date(),
          },
          config,
        ),
      );
      console.log(`Sent. The SMTP server answered: ${info.response}`);
    } catch (sendError) {
      console.error(`Not sent: ${sendError instanceof Error ? sendError.message : String(sendError)}`);
      process.exitCode = 1;
    }
    transport.close();
    return;
  }
  try {
    const queued = await queueMail(handle.db, { kind: "test", organizationId: null, to, ...message });
    const claimed = queued && (await claimMailById(handle.db, queued.id, { leaseSeconds: MAIL_LEASE_SECONDS }));
    if (!claimed) throw new Error("the test message could not be queued");
    const outcome = await deliverClaimed(handle.db, transport, config, claimed, { retry: false });
    if (outcome.status === "sent")
      console.log(`Sent (outbox id ${claimed.id}). The SMTP server answered: ${outcome.response}`);
    else {
      console.error(`Not sent (outbox id ${claimed.id}, marked failed): ${outcome.error}`);
      process.exitCode = 1;
    }
  } finally {
    transport.close();
    await handle.close();
  }
}

async function main() {
  if (command === "outbox") return outbox();
  if (command === "send-test") {
    let config: MailConfig;
    try {
      config = mailConfigFromEnv();
    } catch (error) {
      if (error instanceof MailConfigError) {
        console.error(error.message);
        process.exit(2);
      }
      throw error;
    }
    if (!config.smtpUrl) {
      console.error("SMTP_URL is not set: PinPoint sends no e-mail. Set it, e.g. SMTP_URL=smtp://user:pass@host:587");
      process.exit(2);
    }
    return sendTest({ ...config, smtpUrl: config.smtpUrl });
  }
  console.error(USAGE);
  process.exit(2);
}

main().catch((error) => {
  if (error instanceof DataDirLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
