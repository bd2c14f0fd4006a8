/** One message of the organization's e-mail outbox (/admin/outbox): who, what, its delivery state, text and links. */

export interface OutboxMessageView {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  links: string[];
  status: "pending" | "sent" | "failed";
  statusLabel: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  createdIso: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

const STATUS_STYLES = {
  pending: "bg-amber-100 text-amber-900",
  sent: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
} as const;

export function OutboxMessage({ message: m }: { message: OutboxMessageView }) {
  const headingId = `message-${m.id}`;
  return (
    <article className="card space-y-3" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 id={headingId} className="font-semibold">
            {m.subject}
          </h3>
          <p className="text-sm text-slate-600">
            {m.kind} to <strong>{m.to}</strong>, queued <time dateTime={m.createdIso}>{m.createdAt}</time>
          </p>
        </div>
        <span className={`rounded px-2 py-0.5 text-sm font-medium ${STATUS_STYLES[m.status]}`}>{m.statusLabel}</span>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
        {m.sentAt ? (
          <>
            <dt className="text-slate-600">Sent</dt>
            <dd>{m.sentAt}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">Attempts</dt>
        <dd>{m.attempts}</dd>
        {m.nextAttemptAt ? (
          <>
            <dt className="text-slate-600">Next attempt</dt>
            <dd>{m.nextAttemptAt}</dd>
          </>
        ) : null}
        {m.lastError ? (
          <>
            <dt className="text-slate-600">Last error</dt>
            <dd className="break-words">{m.lastError}</dd>
          </>
        ) : null}
      </dl>
      {m.links.length ? (
        <div>
          <h4 className="text-sm font-semibold">Links in this message</h4>
          <ul className="list-disc pl-5 text-sm">
            {m.links.map((url) => (
              <li key={url} className="break-all">
                <a href={url} rel="noreferrer">
                  {url}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <details>
        <summary className="cursor-pointer text-sm font-medium">Text of the message</summary>
        <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-sm">{m.text}</pre>
      </details>
    </article>
  );
}
