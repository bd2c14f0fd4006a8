/**
 * Messages to people outside the organization about one issue: the reporter's receipt and the "it was fixed"
 * message to the reporter and "me too" subscribers (app/use-cases/subscriptions.server.ts). Each shows the
 * unsubscribe link that its List-Unsubscribe header carries (./headers.ts). Pure.
 */
import { renderMail, type RenderedMail } from "./compose";

const footer = (organizationName: string) =>
  `You get this message because this address was left on a problem report to ${organizationName}.`;

export function reportReceiptMail(input: {
  organizationName: string;
  machineName: string;
  issueTitle: string;
  followUrl: string;
  unsubscribeUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `We got your report: ${input.issueTitle}`,
    greeting: "Hello,",
    blocks: [
      `Thanks for reporting a problem with ${input.machineName} to ${input.organizationName}: “${input.issueTitle}”.`,
      "You can see what happens with it here:",
      { label: "Follow your report", url: input.followUrl },
      "We will send you one more message when it is fixed.",
      { label: "Stop these messages", url: input.unsubscribeUrl },
    ],
    footer: footer(input.organizationName),
  });
}

export function meTooReceiptMail(input: {
  organizationName: string;
  machineName: string;
  issueTitle: string;
  unsubscribeUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `We will tell you when it is fixed: ${input.issueTitle}`,
    greeting: "Hello,",
    blocks: [
      `You said “me too” to a problem with ${input.machineName} at ${input.organizationName}: “${input.issueTitle}”.`,
      "We will send you one message when it is fixed, and nothing else.",
      { label: "Stop these messages", url: input.unsubscribeUrl },
    ],
    footer: `You get this message because this address was left on a “me too” for ${input.organizationName}.`,
  });
}

export function issueClosedMail(input: {
  organizationName: string;
  machineName: string;
  issueTitle: string;
  statusName: string;
  followUrl: string | null;
  unsubscribeUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `Fixed: ${input.issueTitle}`,
    greeting: "Hello,",
    blocks: [
      `The problem with ${input.machineName} that you told ${input.organizationName} about, “${input.issueTitle}”, was closed as “${input.statusName}”.`,
      ...(input.followUrl ? [{ label: "See the report", url: input.followUrl }] : []),
      "Thanks for helping. This is the last message about this problem.",
      { label: "Stop these messages", url: input.unsubscribeUrl },
    ],
    footer: footer(input.organizationName),
  });
}
