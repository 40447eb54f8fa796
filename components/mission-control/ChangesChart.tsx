'use client';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChangesPoint } from '@/lib/mission-control/insights';

const SERIES = [
  { key: 'request', name: 'Opt-in requested', color: '#b54708' },
  { key: 'grant', name: 'Granted', color: '#067647' },
  { key: 'withdraw', name: 'Withdrawn', color: '#475467' },
  { key: 'expire', name: 'Expired', color: '#98a2b3' },
  { key: 'object', name: 'Objected', color: '#b42318' },
] as const;

/** Consent changes per day (stacked); a table follows for screen readers. */
export function ChangesChart({ points }: { points: ChangesPoint[] }) {
  const total = points.reduce((sum, p) => sum + SERIES.reduce((s, series) => s + (p[series.key] ?? 0), 0), 0);
  return (
    <figure className="mc-chart" aria-label={`Consent changes per day, ${total} in the period`}>
      <div style={{ width: '100%', height: 260 }} aria-hidden="true">
        <ResponsiveContainer>
          {/* The chart is hidden from assistive technology (the table below says the same), so it
              must not take keyboard focus either: no accessibility layer, no focusable svg. */}
          <BarChart
            data={points}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            accessibilityLayer={false}
            tabIndex={-1}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={24} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend />
            {SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="changes"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Show as table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {SERIES.map((s) => (
                <th key={s.key} scope="col" className="num">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points
              .filter((p) => SERIES.some((s) => p[s.key]))
              .map((p) => (
                <tr key={p.day}>
                  <td>{p.day}</td>
                  {SERIES.map((s) => (
                    <td key={s.key} className="num">
                      {p[s.key] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
