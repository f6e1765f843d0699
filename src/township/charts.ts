/** Charts drawn on the server as SVG (no script, no CDN): text labels carry the numbers, so they read without colour. */

export interface Point {
  label: string;
  value: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The drawing's width in SVG units; bars start after a 7-character label and leave room for the value. */
const WIDTH = 360;
const BAR_X = 112;
const BAR_MAX = 190;

let counter = 0;
const nextId = () => `chart-${(counter = (counter + 1) % 1_000_000)}`;

function frame(title: string, description: string, height: number, body: string): string {
  const id = nextId();
  return (
    `<svg class="chart" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${escapeXml(title)}</title><desc id="${id}-d">${escapeXml(description)}</desc>${body}</svg>`
  );
}

const describe = (points: Point[]) => points.map((p) => `${p.label} ${p.value}`).join('，') || '暂无数据';

/**
 * Horizontal bars, one per item, each with its label and value written beside it. Drawn 360 units wide so that the
 * 15-unit text stays about 14 px on a 390 px phone, where the chart is about 330 px wide.
 */
export function barChart(title: string, points: Point[]): string {
  if (points.length === 0)
    return frame(title, '暂无数据', 50, '<text x="0" y="30" font-size="16">暂无数据</text>');
  const max = Math.max(1, ...points.map((p) => Math.abs(p.value)));
  const row = 30;
  const bars = points
    .map((p, i) => {
      const width = Math.round((Math.abs(p.value) / max) * BAR_MAX);
      const y = 6 + i * row;
      return (
        `<text x="0" y="${y + 17}" font-size="15">${escapeXml(p.label.slice(0, 7))}</text>` +
        `<rect x="${BAR_X}" y="${y + 2}" width="${width}" height="20" fill="${p.value < 0 ? '#8a1f1f' : '#1f5f8a'}"/>` +
        `<text x="${BAR_X + width + 5}" y="${y + 17}" font-size="15">${p.value}</text>`
      );
    })
    .join('');
  return frame(title, describe(points), 12 + points.length * row, bars);
}
