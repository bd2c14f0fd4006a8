/**
 * A horizontal bar chart drawn on the server as SVG, for /insights: no script, no canvas. The SVG is an image with its
 * own <title> and <desc> (named by aria-labelledby / aria-describedby), and the same numbers stand beside it as a
 * table, so a screen reader, a text browser and a printout all get them. Colours come with a pattern-free legend and
 * the table, never colour alone.
 */
import type { ReactNode } from "react";

export interface BarSegment {
  /** The legend's key (also the table's column). */
  key: string;
  value: number;
}

export interface Bar {
  label: string;
  segments: BarSegment[];
}

export interface SeriesStyle {
  key: string;
  label: string;
  /** An SVG fill (static: not a Tailwind class). */
  fill: string;
}

const ROW = 28;
const LABEL_WIDTH = 150;
const CHART_WIDTH = 300;
const VALUE_WIDTH = 90;

function shorten(label: string, max = 22): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export function BarChart({
  id,
  title,
  description,
  bars,
  series,
  max,
  format,
  empty,
}: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  series: SeriesStyle[];
  /** The value of a full-width bar (e.g. 100 for percentages); defaults to the largest total. */
  max?: number;
  format: (value: number) => string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty: ReactNode;
}) {
  const total = (b: Bar) => b.segments.reduce((sum, s) => sum + s.value, 0);
  const scale = max ?? Math.max(0, ...bars.map(total));
  const width = LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH;
  const height = bars.length * ROW + 8;
  return (
    <section aria-labelledby={`${id}-heading`} className="card space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {bars.length === 0 || scale <= 0 ? (
        <div className="text-slate-700">{empty}</div>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="space-y-2">
            <svg
              viewBox={`0 0 ${width} ${height}`}
              width="100%"
              role="img"
              aria-labelledby={`${id}-title`}
              aria-describedby={`${id}-desc`}
              className="max-w-full"
            >
              <title id={`${id}-title`}>{title}</title>
              <desc id={`${id}-desc`}>{description}</desc>
              {bars.map((b, i) => {
                const y = 4 + i * ROW;
                let x = LABEL_WIDTH;
                return (
                  <g key={`${b.label}-${i}`}>
                    <text x={LABEL_WIDTH - 6} y={y + ROW / 2 + 4} textAnchor="end" fontSize="12" fill="#1e293b">
                      {shorten(b.label)}
                    </text>
                    <rect x={LABEL_WIDTH} y={y + 4} width={CHART_WIDTH} height={ROW - 10} fill="#f1f5f9" />
                    {b.segments.map((s) => {
                      const w = (CHART_WIDTH * Math.min(s.value, scale)) / scale;
                      const rect = (
                        <rect
                          key={s.key}
                          x={x}
                          y={y + 4}
                          width={Math.max(0, w)}
                          height={ROW - 10}
                          fill={series.find((x) => x.key === s.key)?.fill ?? "#64748b"}
                        />
                      );
                      x += w;
                      return rect;
                    })}
                    <text x={LABEL_WIDTH + CHART_WIDTH + 6} y={y + ROW / 2 + 4} fontSize="12" fill="#1e293b">
                      {format(total(b))}
                    </text>
                  </g>
                );
              })}
            </svg>
            {series.length > 1 ? (
              <ul className="flex flex-wrap gap-4 text-sm text-slate-700" aria-label="Legend">
                {series.map((s) => (
                  <li key={s.key} className="flex items-center gap-2">
                    <svg width="14" height="14" aria-hidden="true">
                      <rect width="14" height="14" fill={s.fill} />
                    </svg>
                    {s.label}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <caption className="sr-only">{`${title}: the chart's numbers`}</caption>
              <thead className="text-left">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-semibold">
                    Name
                  </th>
                  {series.map((s) => (
                    <th key={s.key} scope="col" className="py-1 pr-3 text-right font-semibold">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {bars.map((b, i) => (
                  <tr key={`${b.label}-${i}`}>
                    <th scope="row" className="py-1 pr-3 text-left font-normal">
                      {b.label}
                    </th>
                    {series.map((s) => (
                      <td key={s.key} className="py-1 pr-3 text-right tabular-nums">
                        {format(b.segments.find((x) => x.key === s.key)?.value ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
