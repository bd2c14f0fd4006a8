/**
 * Account messages (no organization): password reset, password changed, repeated failed sign-ins, and the test
 * message of `npm run mail:send-test`. Pure functions from data to {subject, text, html} (./compose.ts); links
 * arrive absolute, built by the caller from the app's public address.
 */
import { renderMail, type RenderedMail } from "./compose";

const greeting = (name: string | null | undefined) => (name?.trim() ? `Hello ${name.trim()},` : "Hello,");

export function passwordResetMail(input: {
  name: string | null;
  resetUrl: string;
  validMinutes: number;
}): RenderedMail {
  return renderMail({
    subject: "Choose a new PinPoint password",
    greeting: greeting(input.name),
    blocks: [
      "Someone (we hope you) asked to reset the password of your PinPoint account. Use this link to choose a new one:",
      { label: "Choose a new password", url: input.resetUrl },
      `The link works once, for ${input.validMinutes} minutes. Choosing a new password signs you out on every other device.`,
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ],
    footer: "You get this message because a password reset was requested for this address on PinPoint.",
  });
}

export function passwordChangedMail(input: {
  name: string | null;
  changedAt: string;
  forgotUrl: string;
}): RenderedMail {
  return renderMail({
    subject: "Your PinPoint password was changed",
    greeting: greeting(input.name),
    blocks: [
      `The password of your PinPoint account was changed on ${input.changedAt}, and every other device was signed out.`,
      "If that was you, there is nothing to do.",
      "If it was not you, someone else knows your password or can read your e-mail. Choose a new password now:",
      { label: "Reset your password", url: input.forgotUrl },
    ],
    footer: "Security notices about your account are always sent; they cannot be turned off.",
  });
}

export function signInAttemptsMail(input: {
  name: string | null;
  failures: number;
  windowMinutes: number;
  forgotUrl: string;
}): RenderedMail {
  return renderMail({
    subject: "Someone is trying to sign in to your PinPoint account",
    greeting: greeting(input.name),
    blocks: [
      `There were ${input.failures} failed attempts to sign in to your PinPoint account within ${input.windowMinutes} minutes. Further attempts are slowed down; your account is not locked and you can still sign in.`,
      "If this was you and you forgot your password, you can choose a new one here. If it was not you, a long password that you use nowhere else keeps your account safe:",
      { label: "Reset your password", url: input.forgotUrl },
    ],
    footer: "We send this notice at most once an hour. Security notices about your account cannot be turned off.",
  });
}

export function testMail(input: { sentAt: string }): RenderedMail {
  return renderMail({
    subject: "PinPoint test message",
    greeting: "Hello,",
    blocks: [
      `This is a test message from PinPoint, sent on ${input.sentAt} with \`npm run mail:send-test\`.`,
      "If you can read it, PinPoint's e-mail settings (SMTP_URL and MAIL_FROM) work.",
    ],
  });
}

export function verifyEmailMail(input: { name: string | null; verifyUrl: string; validHours: number }): RenderedMail {
  return renderMail({
    subject: "Confirm your e-mail address for PinPoint",
    greeting: greeting(input.name),
    blocks: [
      "Please confirm that this is your e-mail address. Open this link and press the button on the page:",
      { label: "Confirm my e-mail address", url: input.verifyUrl },
      `The link works once, for ${input.validHours} hours. Until you confirm, you can use your account, but you cannot invite people, join an organization or get notifications by e-mail.`,
      "If you did not create a PinPoint account, ignore this message.",
    ],
    footer: "You get this message because this address was used to create a PinPoint account.",
  });
}

export function emailChangeConfirmMail(input: {
  name: string | null;
  newEmail: string;
  confirmUrl: string;
  validHours: number;
}): RenderedMail {
  return renderMail({
    subject: "Confirm your new e-mail address for PinPoint",
    greeting: greeting(input.name),
    blocks: [
      `You asked to use ${input.newEmail} for your PinPoint account. Open this link and press the button on the page to make the change:`,
      { label: "Use this e-mail address", url: input.confirmUrl },
      `The link works once, for ${input.validHours} hours. Nothing changes until you confirm.`,
      "If you did not ask for this, ignore this message.",
    ],
    footer: "You get this message because someone asked to move a PinPoint account to this address.",
  });
}

export function emailChangeNoticeMail(input: {
  name: string | null;
  newEmail: string;
  requestedAt: string;
  forgotUrl: string;
}): RenderedMail {
  return renderMail({
    subject: "Your PinPoint e-mail address is about to change",
    greeting: greeting(input.name),
    blocks: [
      `On ${input.requestedAt}, someone signed in to your PinPoint account asked to change its e-mail address to ${input.newEmail}. The change happens only if the link sent to that address is opened.`,
      "If that was you, there is nothing to do.",
      "If it was not you, someone else can sign in to your account. Choose a new password now, which also signs out every device:",
      { label: "Reset your password", url: input.forgotUrl },
    ],
    footer: "Security notices about your account are always sent; they cannot be turned off.",
  });
}
