import { describe, expect, it } from "vitest";
import { passwordResetMail, signInAttemptsMail } from "../../core/mail/account";
import { escapeHtml, linksInText, renderMail } from "../../core/mail/compose";
import { listUnsubscribeHeaders } from "../../core/mail/headers";
import { composeMessage, messageIdFor } from "../../server/mail/compose";
import { MailConfigError, mailConfigFromEnv, redactSmtpUrl } from "../../server/mail/config";
import { MAIL_MAX_ATTEMPTS, judgeFailure, nextStep, retryDelaySeconds } from "../../server/mail/policy";

describe("rendering messages", () => {
  it("writes the same content as text and as simple, accessible HTML, escaping what people typed", () => {
    const mail = renderMail({
      subject: "A <b>subject</b>",
      greeting: "Hello Ada <script>,",
      blocks: ["First & second", { label: "Open the issue", url: "https://apc.example.org/issues/1?a=1&b=2" }],
      footer: "Why you get this.",
    });
    expect(mail.text).toBe(
      "Hello Ada <script>,\n\nFirst & second\n\nOpen the issue:\nhttps://apc.example.org/issues/1?a=1&b=2\n\n– PinPoint\n\n--\nWhy you get this.\n",
    );
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain("<title>A &lt;b&gt;subject&lt;/b&gt;</title>");
    expect(mail.html).toContain("<p>Hello Ada &lt;script&gt;,</p>");
    expect(mail.html).toContain("<p>First &amp; second</p>");
    expect(mail.html).toContain(
      '<a href="https://apc.example.org/issues/1?a=1&amp;b=2" style="color:#1d4ed8;font-weight:bold">Open the issue</a>',
    );
    expect(mail.html).not.toMatch(/<img|<table|<script/);
  });

  it("refuses links that are not web addresses", () => {
    expect(() =>
      renderMail({ subject: "x", blocks: [{ label: "x", url: ["javascript", "alert(1)"].join(":") }] }),
    ).toThrow();
    expect(() => renderMail({ subject: "x", blocks: [{ label: "x", url: "/relative" }] })).toThrow();
  });

  it("templates carry their links and facts", () => {
    const reset = passwordResetMail({ name: null, resetUrl: "https://x.example/reset-password/abc", validMinutes: 60 });
    expect(reset.text).toContain("Hello,");
    expect(reset.text).toContain("https://x.example/reset-password/abc");
    expect(reset.text).toContain("60 minutes");
    const attempts = signInAttemptsMail({
      name: "Ada",
      failures: 10,
      windowMinutes: 15,
      forgotUrl: "https://x.example/f",
    });
    expect(attempts.text).toContain("10 failed attempts");
    expect(linksInText(attempts.text)).toEqual(["https://x.example/f"]);
    expect(escapeHtml(`"'&<>`)).toBe("&quot;&#39;&amp;&lt;&gt;");
  });

  it("one-click unsubscribe headers (RFC 8058)", () => {
    expect(listUnsubscribeHeaders("https://apc.example.org/unsubscribe/t")).toEqual({
      "List-Unsubscribe": "<https://apc.example.org/unsubscribe/t>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(() => listUnsubscribeHeaders("mailto:x@example.org")).toThrow();
  });
});

describe("composing the SMTP message from an outbox row", () => {
  const row = {
    id: "abc123",
    toAddress: "ada@example.org",
    subject: "Hi",
    textBody: "Text",
    htmlBody: null,
    createdAt: new Date("2026-01-02T03:04:05Z"),
  };
  const config = { from: "PinPoint <pinpoint@example.org>", domain: "example.org" };

  it("derives the Message-ID from the outbox id and dates the message when it was queued", () => {
    const message = composeMessage({ ...row, headers: {} }, config);
    expect(message.messageId).toBe("<abc123@example.org>");
    expect(messageIdFor("abc123", config)).toBe(message.messageId);
    expect(message.date).toEqual(row.createdAt);
    expect(message.html).toBeUndefined();
    expect(message.headers).toEqual({ "Auto-Submitted": "auto-generated" });
  });

  it("keeps only known extra headers, one line each", () => {
    const message = composeMessage(
      {
        ...row,
        headers: {
          "list-unsubscribe": "<https://x.example/u>",
          Bcc: "spy@example.org",
          From: "evil@example.org",
          References: "<a@b>\r\nBcc: spy@example.org",
        },
      },
      config,
    );
    expect(message.headers).toEqual({
      "List-Unsubscribe": "<https://x.example/u>",
      "Auto-Submitted": "auto-generated",
    });
    expect(message.from).toBe(config.from);
  });
});

describe("mail settings", () => {
  it("reads SMTP_URL and MAIL_FROM, with a sender taken from the SMTP user or PUBLIC_URL", () => {
    expect(mailConfigFromEnv({})).toEqual({
      smtpUrl: null,
      from: "PinPoint <pinpoint@localhost>",
      domain: "localhost",
      keepSentDays: 30,
    });
    expect(mailConfigFromEnv({ PUBLIC_URL: "https://pinball.example.org" }).from).toBe(
      "PinPoint <pinpoint@pinball.example.org>",
    );
    const fromUser = mailConfigFromEnv({ SMTP_URL: "smtp://me%40example.net:secret@smtp.example.net:587" });
    expect(fromUser.from).toBe("PinPoint <me@example.net>");
    expect(fromUser.domain).toBe("example.net");
    expect(mailConfigFromEnv({ SMTP_URL: "smtps://h:465", MAIL_FROM: "Club <club@Example.ORG>" }).domain).toBe(
      "example.org",
    );
    expect(redactSmtpUrl("smtp://u:secret@h:587")).toBe("smtp://u:***@h:587");
  });

  it("refuses settings that cannot work, saying why", () => {
    expect(() => mailConfigFromEnv({ SMTP_URL: "http://mail.example.org" })).toThrow(MailConfigError);
    expect(() => mailConfigFromEnv({ SMTP_URL: "not a url" })).toThrow(/not a valid URL/);
    expect(() => mailConfigFromEnv({ MAIL_FROM: "nobody" })).toThrow(/not an e-mail address/);
    expect(() => mailConfigFromEnv({ MAIL_FROM: "a@b.c\r\nBcc: x@y.z" })).toThrow(/one line/);
  });
});

describe("retry policy", () => {
  it("waits 30 s, doubling, at most an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 20, 1000].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 1920, 3600, 3600, 3600]);
  });

  it("gives up on a permanent refusal at once, on a deferring server after MAIL_MAX_ATTEMPTS, never while the server is down", () => {
    const rejected = judgeFailure({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO", message: "550 no" });
    expect(rejected).toMatchObject({ permanent: true, serverUnavailable: false });
    expect(nextStep(rejected, 1)).toEqual({ fail: true });
    expect(judgeFailure({ code: "EENVELOPE", command: "API", message: "Invalid recipient" }).permanent).toBe(true);

    const deferred = judgeFailure({ code: "EMESSAGE", responseCode: 451, command: "DATA", message: "451 later" });
    expect(deferred).toMatchObject({ permanent: false, serverUnavailable: false });
    expect(nextStep(deferred, 1)).toEqual({ fail: false, retryInSeconds: 30 });
    expect(nextStep(deferred, MAIL_MAX_ATTEMPTS)).toEqual({ fail: true });

    for (const code of ["ECONNECTION", "ETIMEDOUT", "EAUTH", "ETLS"]) {
      const down = judgeFailure({ code, responseCode: code === "EAUTH" ? 535 : undefined, message: code });
      expect(down).toMatchObject({ permanent: false, serverUnavailable: true });
      expect(nextStep(down, 50)).toEqual({ fail: false, retryInSeconds: 3600 });
    }
  });
});
