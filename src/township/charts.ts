/** Charts drawn on the server as SVG (no script, no CDN): text labels carry the numbers, so they read without colour. */

export interface Point {
  label: string;
  value: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let counter = 0;
const nextId = () => `chart-${(counter = (counter + 1) % 1_000_000)}`;

function frame(title: string, description: string, height: number, body: string): string {
  const id = nextId();
  return (
    `<svg class="chart" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 600 ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${escapeXml(title)}</title><desc id="${id}-d">${escapeXml(description)}</desc>${body}</svg>`
  );
}

const describe = (points: Point[]) => points.map((p) => `${p.label} ${p.value}`).join('，') || '暂无数据';

/** Horizontal bars, one per item, each with its label and value written beside it. */
export function barChart(title: string, points: Point[]): string {
  if (points.length === 0)
    return frame(title, '暂无数据', 60, '<text x="10" y="35" font-size="18">暂无数据</text>');
  const max = Math.max(1, ...points.map((p) => Math.abs(p.value)));
  const row = 34;
  const bars = points
    .map((p, i) => {
      const width = Math.round((Math.abs(p.value) / max) * 330);
      const y = 10 + i * row;
      return (
        `<text x="0" y="${y + 20}" font-size="16">${escapeXml(p.label.slice(0, 10))}</text>` +
        `<rect x="170" y="${y + 4}" width="${width}" height="22" fill="${p.value < 0 ? '#8a1f1f' : '#1f5f8a'}"/>` +
        `<text x="${176 + width}" y="${y + 20}" font-size="16">${p.value}</text>`
      );
    })
    .join('');
  return frame(title, describe(points), 20 + points.length * row, bars);
}

/** A line over months, each point labelled with its value. */
export function lineChart(title: string, points: Point[]): string {
  if (points.length === 0)
    return frame(title, '暂无数据', 60, '<text x="10" y="35" font-size="18">暂无数据</text>');
  const values = points.map((p) => p.value);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const x = (i: number) => 40 + (points.length === 1 ? 260 : (i * 520) / (points.length - 1));
  const y = (v: number) => 200 - ((v - min) / (max - min || 1)) * 160;
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(' ');
  const marks = points
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="4" fill="#1f5f8a"/>` +
        `<text x="${x(i).toFixed(1)}" y="${(y(p.value) - 8).toFixed(1)}" font-size="13" text-anchor="middle">${p.value}</text>` +
        `<text x="${x(i).toFixed(1)}" y="228" font-size="13" text-anchor="middle">${escapeXml(p.label)}</text>`,
    )
    .join('');
  return frame(
    title,
    describe(points),
    240,
    `<path d="${path}" fill="none" stroke="#1f5f8a" stroke-width="3"/>${marks}`,
  );
}
