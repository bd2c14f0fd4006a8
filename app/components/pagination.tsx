import { useLocation } from "@remix-run/react";

/** Previous / next links that keep the current filters (plain links: works without JavaScript). */
export function Pagination({
  page,
  pageSize,
  total,
  label = "Pages",
}: {
  page: number;
  pageSize: number;
  total: number;
  label?: string;
}) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && page <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    if (p <= 1) params.delete("page");
    else params.set("page", String(p));
    const qs = params.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}`;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 pt-2 text-sm">
      <p className="text-slate-600">
        {total === 0 ? "No results" : `Showing ${first}–${last} of ${total}`} · page {Math.min(page, pages)} of {pages}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <a href={href(Math.min(page - 1, pages))} className="btn-secondary" rel="prev">
            ← Previous
          </a>
        ) : null}
        {page < pages ? (
          <a href={href(page + 1)} className="btn-secondary" rel="next">
            Next →
          </a>
        ) : null}
      </div>
    </nav>
  );
}
