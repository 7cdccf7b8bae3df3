import { escapeXml, formatMs, formatRatio, renderChart } from '../../bench/svg';

function bars(svg: string): Array<{ kind: string; variant: string; value: number; width: number }> {
  return [...svg.matchAll(/<rect class="bar (p50|p99)" data-variant="([^"]*)" data-value="([^"]*)" [^>]*width="([^"]*)"/g)].map((match) => ({
    kind: match[1]!,
    variant: match[2]!,
    value: Number(match[3]),
    width: Number(match[4]),
  }));
}

describe('bench SVG chart', () => {
  const svg = renderChart({
    title: 'bench <test> & co',
    subtitle: 'sub',
    panels: [
      { title: 'Standard hit', bars: [{ label: 'floor', p50: 0.05, p99: 0.1 }, { label: 'ours', p50: 0.06, p99: 0.2 }] },
      { title: 'Semantic', bars: [{ label: 'client "index"', p50: undefined, p99: undefined }, { label: 'ft', p50: 40, p99: 80 }] },
    ],
  });

  it('is one well-formed svg document with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg /g)).toHaveLength(1);
    expect(svg).toContain('bench &lt;test&gt; &amp; co');
    expect(svg).toContain('client &quot;index&quot;');
    expect(svg).not.toMatch(/NaN|undefined/);
    // Every opened element is closed (self-closing or with a matching end tag).
    const opened = [...svg.matchAll(/<(svg|text|style)[\s>]/g)].length;
    const closed = [...svg.matchAll(/<\/(svg|text|style)>/g)].length;
    expect(closed).toBe(opened);
  });

  it('draws a p50 and a p99 bar per variant with a value, scaled per panel', () => {
    const drawn = bars(svg);
    expect(drawn.map((bar) => `${bar.variant}:${bar.kind}:${bar.value}`)).toEqual([
      'floor:p50:0.05',
      'floor:p99:0.1',
      'ours:p50:0.06',
      'ours:p99:0.2',
      'ft:p50:40',
      'ft:p99:80',
    ]);
    const width = (variant: string, kind: string): number => drawn.find((bar) => bar.variant === variant && bar.kind === kind)!.width;
    // The largest bar of each panel spans the same plot width; others are proportional.
    expect(width('ours', 'p99')).toBeCloseTo(width('ft', 'p99'));
    expect(width('floor', 'p99') / width('ours', 'p99')).toBeCloseTo(0.5, 1);
    expect(svg).toContain('p50 n/a');
  });

  it('formats and escapes', () => {
    expect(formatMs(0.04234)).toBe('0.0423 ms');
    expect(formatMs(1.234)).toBe('1.23 ms');
    expect(formatMs(118.4)).toBe('118 ms');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  describe('ratio panels', () => {
    const ratioSvg = renderChart({
      title: 'ratios',
      panels: [
        {
          kind: 'ratio',
          title: 'p50 x floor',
          referenceLabel: 'floor',
          bars: [
            { label: 'floor', median: 1, low: 1, high: 1 },
            { label: 'ours', median: 2, low: 1.5, high: 4 },
            { label: 'missing', median: undefined },
          ],
        },
      ],
    });
    const ratioBars = [...ratioSvg.matchAll(/<rect class="bar ratio" data-variant="([^"]*)" data-value="([^"]*)" data-low="([^"]*)" data-high="([^"]*)" x="([^"]*)" [^>]*width="([^"]*)"/g)].map((m) => ({
      variant: m[1]!,
      value: Number(m[2]),
      low: Number(m[3]),
      high: Number(m[4]),
      x: Number(m[5]),
      width: Number(m[6]),
    }));

    it('draws the median as a bar with its IQR as data and a whisker', () => {
      expect(ratioBars.map((bar) => `${bar.variant}:${bar.value}:${bar.low}-${bar.high}`)).toEqual(['floor:1:1-1', 'ours:2:1.5-4']);
      const [floor, ours] = ratioBars;
      expect(ours!.width / floor!.width).toBeCloseTo(2, 1);
      const whiskers = [...ratioSvg.matchAll(/<line class="spread" x1="([^"]*)" [^>]*x2="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(whiskers).toHaveLength(2);
      // The whisker spans low..high on the bar's scale: 1.5 x to 4 x.
      const perUnit = floor!.width;
      expect((whiskers[1]![0]! - ours!.x) / perUnit).toBeCloseTo(1.5, 1);
      expect((whiskers[1]![1]! - ours!.x) / perUnit).toBeCloseTo(4, 1);
      expect(ratioSvg).toContain('2.00 x (IQR 1.50-4.00)');
      expect(ratioSvg).toContain('>n/a<');
    });

    it('marks the floor with a dashed reference line at 1 x', () => {
      const line = /<line class="reference" x1="([^"]*)"/.exec(ratioSvg);
      expect(line).not.toBeNull();
      const [floor] = ratioBars;
      expect(Number(line![1])).toBeCloseTo(floor!.x + floor!.width, 0);
      expect(ratioSvg).toContain('>floor</text>');
      expect(ratioSvg).not.toMatch(/NaN|undefined/);
    });

    it('formats ratios', () => {
      expect(formatRatio(1.234)).toBe('1.23 x');
      expect(formatRatio(12.34)).toBe('12.3 x');
      expect(formatRatio(0.0456)).toBe('0.0456 x');
    });
  });
});
