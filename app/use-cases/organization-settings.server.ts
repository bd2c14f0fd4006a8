/**
 * /admin/organization (organization:manage): the organization's time zone and locale, which every absolute date
 * (app/lib/format.ts dateFormatterFor) and the daily digest's "day" (./notification-mail.server.ts) use. Values are
 * checked with Intl (core/time-zones.ts), so whatever is saved can be formatted.
 */
import { z } from "zod";
import { isValidLocale, isValidTimeZone, LOCALE_CHOICES, timeZoneChoices } from "../../core/time-zones";
import { updateOrganizationDateSettings } from "../../db/queries/organizations.server";
import { withTransaction } from "../../db/transaction.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, requireMemberActor, type Actor } from "./actor";
import { auditBy } from "./audit.server";

export const organizationDateInput = z.object({
  timeZone: z
    .string({ error: "Choose a time zone." })
    .trim()
    .refine(isValidTimeZone, "Choose a time zone from the list, such as America/Chicago."),
  locale: z
    .string({ error: "Choose a language and region." })
    .trim()
    .refine(isValidLocale, "Choose a language and region from the list."),
});

export type OrganizationDateInput = z.infer<typeof organizationDateInput>;

export function loadOrganizationSettings(actor: Actor, now = new Date()) {
  requireCan(actor, "organization:manage");
  const { timeZone, locale } = actor.organization;
  const locales = LOCALE_CHOICES.some((l) => l.value === locale)
    ? LOCALE_CHOICES
    : [...LOCALE_CHOICES, { value: locale, label: locale }];
  return {
    organizationName: actor.organization.name,
    timeZone,
    locale,
    timeZones: timeZoneChoices(),
    locales,
    /** How a date looks with the current settings. */
    example: dateFormatterFor(actor.organization).dateTime(now),
  };
}

export async function saveOrganizationDateSettings(actor: Actor, input: OrganizationDateInput): Promise<string> {
  requireMemberActor(actor, "organization:manage");
  await withTransaction(actor.db, async (tx) => {
    await updateOrganizationDateSettings(tx, actor.organizationId, input);
    await auditBy(tx, actor, {
      action: "organization.dates_changed",
      targetType: "Organization",
      targetId: actor.organizationId,
      meta: { from: { timeZone: actor.organization.timeZone, locale: actor.organization.locale }, to: input },
    });
  });
  return `Dates are now shown in ${input.timeZone}, formatted for ${input.locale}.`;
}
