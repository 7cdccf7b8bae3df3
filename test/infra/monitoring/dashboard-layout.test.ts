import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { escapeXml, renderLayoutSvg, widgetBoxes, type WidgetBox } from '../../../lib/monitoring/dashboard-layout';
import { dashboardLayoutSvg, LAYOUT_SVG } from '../../../scripts/dashboard-layout';
import { buildStack } from '../support/build';
import { widgetsOf } from '../support/template-json';

describe('the dashboard layout picture', () => {
  let boxes: WidgetBox[];
  let synthesized: { title: string; x: number; y: number; width: number; height: number }[];

  beforeAll(() => {
    const stack = buildStack('memorydb');
    boxes = widgetBoxes(stack.monitoring.dashboard.rows);
    const body = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody;
    synthesized = widgetsOf(body).map((w) => {
      const { x, y, width, height } = w as unknown as { x: number; y: number; width: number; height: number };
      return { title: w.properties.title ?? w.properties.markdown!.split('\n')[0]!.replace(/^#+\s*/, ''), x, y, width, height };
    });
  });

  it('places each widget where the synthesized dashboard puts it', () => {
    expect(boxes.map(({ title, x, y, width, height }) => ({ title, x, y, width, height }))).toEqual(synthesized);
  });

  it('renders every widget title, one box per widget', () => {
    const svg = renderLayoutSvg(boxes, 'caption');

    for (const { title } of synthesized) expect(svg).toContain(`>${escapeXml(title)}</text>`);
    expect(svg.match(/<rect /g)).toHaveLength(boxes.length + 1);
  });

  it('lists the metrics each graph draws', () => {
    const svg = renderLayoutSvg(boxes, 'caption');

    for (const label of ['CacheHitExact', 'Hit rate (%)', 'EstimatedCostSavedUSD (right axis)', 'ModelLatency p99', 'BreakerOpened', 'Throttles']) {
      expect(svg).toContain(`>${escapeXml(label)}</text>`);
    }
  });

  it('keeps widgets on the 24-column grid without overlaps', () => {
    for (const a of boxes) {
      expect(a.x + a.width).toBeLessThanOrEqual(24);
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('escapes XML in titles', () => {
    expect(escapeXml('a & <b> "c"')).toBe('a &amp; &lt;b&gt; &quot;c&quot;');
  });

  it('is up to date in docs/dashboard-layout.svg (regenerate: npx tsx scripts/dashboard-layout.ts)', () => {
    expect(readFileSync(LAYOUT_SVG, 'utf8')).toBe(dashboardLayoutSvg());
  });
});
