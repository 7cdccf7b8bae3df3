import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** One widget's place on the dashboard grid (24 columns wide; heights in grid rows). */
export interface WidgetBox {
  readonly title: string;
  /** CloudWatch widget type: `metric`, `text` or `alarm`. */
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Labels of the metrics a graph draws (hidden inputs of a math expression left out). */
  readonly metrics: readonly string[];
}

/**
 * Where CloudWatch shows each widget, computed the way `cloudwatch.Dashboard` does (a column of
 * the rows given to `addWidgets`), from the construct's own widget list. A text widget's title is
 * its first markdown line.
 */
export function widgetBoxes(rows: readonly (readonly cloudwatch.IWidget[])[]): WidgetBox[] {
  const column = new cloudwatch.Column(...rows.map((row) => (row.length === 1 ? row[0]! : new cloudwatch.Row(...row))));
  column.position(0, 0);
  return rows.flat().flatMap((widget) =>
    (widget.toJson() as RenderedWidget[]).map((json) => ({
      title: json.properties.title ?? firstLine(json.properties.markdown) ?? json.type,
      type: json.type,
      x: json.x,
      y: json.y,
      width: json.width,
      height: json.height,
      metrics: metricLabels(json.properties),
    })),
  );
}

/** Pixels per grid column and per grid row of the picture. */
const CELL = { width: 40, height: 36 } as const;
const FILL: Readonly<Record<string, string>> = { metric: '#e8f1fb', text: '#f4f4f4', alarm: '#fdf0e6' };
const KIND: Readonly<Record<string, string>> = { metric: 'graph', text: 'text', alarm: 'alarm status' };

/** The grid as plain SVG text: one box per widget with its title and kind, at its position. */
export function renderLayoutSvg(boxes: readonly WidgetBox[], caption: string): string {
  const width = 24 * CELL.width;
  const gridHeight = Math.max(...boxes.map((b) => b.y + b.height)) * CELL.height;
  const height = gridHeight + 30;
  const parts = boxes.map((b) => {
    const [x, y, w, h] = [b.x * CELL.width + 2, b.y * CELL.height + 2, b.width * CELL.width - 4, b.height * CELL.height - 4];
    return [
      `  <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="${FILL[b.type] ?? '#ffffff'}" stroke="#7a8899"/>`,
      `  <text x="${x + 10}" y="${y + 22}" font-size="14" font-weight="bold">${escapeXml(b.title)}</text>`,
      `  <text x="${x + 10}" y="${y + 40}" font-size="11" fill="#555">${escapeXml(KIND[b.type] ?? b.type)}, ${b.width}x${b.height} at (${b.x}, ${b.y})</text>`,
      ...b.metrics.map((label, i) => `  <text x="${x + 16}" y="${y + 62 + i * 16}" font-size="12" fill="#1f4e79">${escapeXml(label)}</text>`),
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    `  <text x="4" y="${gridHeight + 20}" font-size="11" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface RenderedWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title?: string; readonly markdown?: string; readonly metrics?: unknown[]; readonly right?: unknown };
}

/**
 * Each metric's label: the options object at the end of each CloudWatch metric array (before
 * synthesis an array may still sit inside a resolvable `{ value }` wrapper).
 */
function metricLabels(properties: RenderedWidget['properties']): string[] {
  return (properties.metrics ?? []).flatMap((entry) => {
    const metric: unknown[] = Array.isArray(entry) ? entry : ((entry as { value?: unknown[] }).value ?? []);
    const options = metric[metric.length - 1] as { label?: string; visible?: boolean; yAxis?: string } | undefined;
    if (typeof options !== 'object' || options === null || options.visible === false || options.label === undefined) return [];
    return [options.yAxis === 'right' ? `${options.label} (right axis)` : options.label];
  });
}

function firstLine(markdown: string | undefined): string | undefined {
  return markdown?.split('\n')[0]?.replace(/^#+\s*/, '');
}
