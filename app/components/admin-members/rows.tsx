/** The rows of the members page: a pending invitation (new link, withdraw) and a member (change role, remove). */
import { useId } from "react";
import type { ActionResult } from "~/lib/action-result";

/**
 * The member or invitation a failed row form was about, with its message: row forms have no visible fields, so the
 * message goes to the row whatever field it names. Undefined for the other forms.
 */
export function rowFailureOf(result: ActionResult | undefined): { target: string; message: string } | undefined {
  if (!result || result.ok) return undefined;
  const key =
    result.intent === "change-role" || result.intent === "remove"
      ? "membershipId"
      : result.intent === "renew-link" || result.intent === "revoke"
        ? "invitationId"
        : undefined;
  const target = key ? result.values?.[key] : undefined;
  if (typeof target !== "string" || target === "") return undefined;
  return { target, message: result.errors.form ?? Object.values(result.errors)[0] ?? "" };
}

export interface RowInvitation {
  id: string;
  email: string;
  roleName: string;
  invitedByName: string | null;
  expiresAt: string;
  expiresIso: string;
  expired: boolean;
  canRenew: boolean;
  canRevoke: boolean;
}

export function InvitationRow({
  invitation: i,
  busy,
  error,
}: {
  invitation: RowInvitation;
  busy: boolean;
  error?: string;
}) {
  return (
    <tr className="align-top">
      <td className="px-4 py-3">
        <div className="font-medium">{i.email}</div>
        {i.invitedByName ? <div className="text-slate-600">by {i.invitedByName}</div> : null}
      </td>
      <td className="px-4 py-3">{i.roleName}</td>
      <td className="px-4 py-3">
        {i.expired ? (
          <span className="badge bg-red-100 text-red-900">Expired</span>
        ) : (
          <time dateTime={i.expiresIso}>{i.expiresAt}</time>
        )}
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-4 py-3 text-right">
        <div className="flex flex-wrap justify-end gap-2">
          {i.canRenew ? (
            <form method="post">
              <input type="hidden" name="intent" value="renew-link" />
              <input type="hidden" name="invitationId" value={i.id} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Create a new link<span className="sr-only"> for {i.email}</span>
              </button>
            </form>
          ) : null}
          {i.canRevoke ? (
            <form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="invitationId" value={i.id} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Withdraw<span className="sr-only"> the invitation for {i.email}</span>
              </button>
            </form>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

export interface RowMember {
  membershipId: string;
  name: string | null;
  email: string | null;
  neverSignedUp: boolean;
  roleId: string;
  roleName: string;
  isYou: boolean;
  canManage: boolean;
  lockedReason?: string;
}

export function MemberRow({
  member: m,
  roles,
  busy,
  error,
}: {
  member: RowMember;
  roles: { id: string; name: string }[];
  busy: boolean;
  error?: string;
}) {
  const id = useId();
  const label = m.name ?? m.email ?? "member";
  // The member's current role stays listed even when the actor could not give it.
  const options = roles.some((r) => r.id === m.roleId) ? roles : [{ id: m.roleId, name: m.roleName }, ...roles];
  return (
    <tr className="align-top">
      <td className="px-4 py-3">
        <div className="font-medium">
          {m.name ?? "—"} {m.isYou ? <span className="badge bg-slate-100 text-slate-700">you</span> : null}
        </div>
        <div className="text-slate-600">{m.email}</div>
      </td>
      <td className="px-4 py-3">
        {m.neverSignedUp ? (
          <span className="badge bg-amber-100 text-amber-900">Never signed up (old invitation)</span>
        ) : (
          <span className="badge bg-green-100 text-green-900">Active</span>
        )}
      </td>
      <td className="px-4 py-3">
        {m.canManage ? (
          <form method="post" className="flex flex-wrap items-center gap-2">
            <input type="hidden" name="intent" value="change-role" />
            <input type="hidden" name="membershipId" value={m.membershipId} />
            <label htmlFor={`${id}-role`} className="sr-only">
              Role of {label}
            </label>
            <select
              id={`${id}-role`}
              name="roleId"
              defaultValue={m.roleId}
              className="input w-auto"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            >
              {options.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn-secondary" disabled={busy}>
              Change role<span className="sr-only"> of {label}</span>
            </button>
          </form>
        ) : (
          <div>
            <span className="font-medium">{m.roleName}</span>
            {m.lockedReason ? <p className="text-xs text-slate-600">{m.lockedReason}</p> : null}
          </div>
        )}
        {error ? (
          <p id={`${id}-error`} role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-4 py-3 text-right">
        {m.canManage ? (
          <details className="inline-block text-left">
            <summary className="btn-secondary cursor-pointer list-none">
              Remove<span className="sr-only"> {label}</span>
            </summary>
            <form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="membershipId" value={m.membershipId} />
              <p className="text-sm text-red-900">Remove {label} from this organization?</p>
              <button type="submit" className="btn-danger" disabled={busy}>
                Yes, remove<span className="sr-only"> {label}</span>
              </button>
            </form>
          </details>
        ) : null}
      </td>
    </tr>
  );
}
