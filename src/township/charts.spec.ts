import { barChart, escapeXml } from './charts.js';

describe('charts', () => {
  it('should escape markup in labels so that a village name cannot inject anything', () => {
    expect(escapeXml(`<b>"甲"&'乙'</b>`)).toBe('&#60;b&#62;&#34;甲&#34;&#38;&#39;乙&#39;&#60;/b&#62;');
    const svg = barChart('<script>', [{ label: '<img src=x>', value: 3 }]);
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<script>');
  });

  it('should draw one bar per item, the longest for the largest value, with every value written out', () => {
    const svg = barChart('各村积分', [
      { label: '甲村', value: 50 },
      { label: '乙村', value: 100 },
    ]);
    const widths = [...svg.matchAll(/<rect[^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([95, 190]);
    expect(svg).toContain('>50<');
    expect(svg).toContain('>100<');
    expect(svg).toMatch(/role="img"/);
  });

  it('should say there is no data rather than draw NaN', () => {
    const svg = barChart('空', []);
    expect(svg).toContain('暂无数据');
    expect(svg).not.toContain('NaN');
    expect(barChart('零', [{ label: '11月', value: 0 }])).not.toContain('NaN');
  });
});
