/**
 * The invitation e-mail: the single-use link that joins an organization (app/use-cases/invitations.server.ts queues
 * it when an admin invites an address or makes a new link). Pure: data in, {subject, text, html} out (./compose.ts).
 */
import { renderMail, type RenderedMail } from "./compose";

export function invitationMail(input: {
  organizationName: string;
  roleName: string;
  invitedByName: string | null;
  acceptUrl: string;
  expiresAt: string;
  renewed: boolean;
}): RenderedMail {
  const who = input.invitedByName?.trim() ? `${input.invitedByName.trim()} invites you` : "You are invited";
  return renderMail({
    subject: `Join ${input.organizationName} on PinPoint`,
    greeting: "Hello,",
    blocks: [
      `${who} to join ${input.organizationName} on PinPoint as ${input.roleName}.`,
      ...(input.renewed ? ["This is a new link: the one sent before no longer works."] : []),
      { label: `Join ${input.organizationName}`, url: input.acceptUrl },
      `The link works once, until ${input.expiresAt}. If you have no PinPoint account yet, you can create one on that page.`,
      "If you did not expect this invitation, ignore this message: nothing happens unless you open the link.",
    ],
    footer: `You get this message because an admin of ${input.organizationName} invited this address.`,
  });
}
