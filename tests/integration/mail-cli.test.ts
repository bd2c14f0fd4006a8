/**
 * The operator's e-mail commands as a person runs them (`tsx scripts/mail.ts …`, what `npm run mail:send-test` and
 * `npm run mail:outbox` call): against a real SMTP server on loopback and a database of the test's own (an embedded
 * one in a temporary directory, or a database on the PostgreSQL server of DATABASE_URL).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { queueMail } from "../../db/queries/outbox.server";
import { mailOutbox } from "../../db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

let smtp: TestSmtp;
let dir: string;
let t: TestDb | undefined;

beforeAll(async () => {
  smtp = await startTestSmtp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-mail-cli-"));
  if (process.env.DATABASE_URL) t = await createTestDb();
});

afterAll(async () => {
  await smtp?.close();
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function mailCommand(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/mail.ts", ...args], {
      env: {
        ...process.env,
        PGLITE_DIR: path.join(dir, "pglite"),
        DATABASE_URL: t?.url ?? "",
        SMTP_URL: smtp.url,
        MAIL_FROM: "Club <club@cli.test>",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** The command's database, opened by the test between two runs (never while a command runs). */
async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = t ? null : await openDatabase({ pgliteDir: path.join(dir, "pglite"), lock: true });
  try {
    return await fn(handle ?? ({ db: t!.db } as DbHandle));
  } finally {
    await handle?.close();
  }
}

describe("npm run mail:send-test and mail:outbox", () => {
  it("send-test queues a test message, sends it now and prints the SMTP server's answer", async () => {
    const { code, output } = await mailCommand(["send-test", "you@example.com"]);
    expect(output).toContain("Sent (outbox id");
    expect(output).toContain("Queued as test");
    expect(code).toBe(0);
    const [mail] = smtp.accepted.filter((m) => m.to === "you@example.com");
    expect(mail.subject).toBe("PinPoint test message");
    expect(mail.messageId).toMatch(/@cli\.test>$/);
    const rows = await withDb((h) => h.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "test")));
    expect(rows.map((r) => r.status)).toEqual(["sent"]);
  });

  it("send-test says clearly what went wrong", async () => {
    smtp.refuseNext(1, 550, "Relaying denied");
    const refused = await mailCommand(["send-test", "stranger@example.com"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("Not sent");
    expect(refused.output).toContain("Relaying denied");

    const unset = await mailCommand(["send-test", "you@example.com"], { SMTP_URL: "" });
    expect(unset.code).toBe(2);
    expect(unset.output).toContain("SMTP_URL is not set");

    const wrong = await mailCommand(["send-test", "you@example.com"], { SMTP_URL: "https://mail.example.org" });
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain("SMTP_URL must start with smtp:// or smtps://");
  });

  it("outbox prints every unsent message with its text, account messages included", async () => {
    await withDb((h) =>
      queueMail(h.db, {
        kind: "password_reset",
        organizationId: null,
        to: "member@example.com",
        subject: "Choose a new PinPoint password",
        text: "Choose a new password:\nhttps://pinpoint.example/reset-password/abc\n",
      }),
    );
    const { code, output } = await mailCommand(["outbox"]);
    expect(code).toBe(0);
    expect(output).toContain("To: member@example.com  (account message)");
    expect(output).toContain("https://pinpoint.example/reset-password/abc");
    expect(output).not.toContain("stranger@example.com");
    const withFailed = await mailCommand(["outbox", "--failed"]);
    expect(withFailed.output).toContain("stranger@example.com");
    expect(withFailed.output).toContain("Relaying denied");
  });
});
