/** A hand-written SVG bar chart of the bench figures: one panel per section, its own scale each. */

export interface ChartBar {
  /** Variant name shown left of its bars. */
  readonly label: string;
  /** p50 and p99 (ms); a missing value draws "n/a". */
  readonly p50?: number;
  readonly p99?: number;
}

/** A panel of p50/p99 latencies in milliseconds. */
export interface LatencyPanel {
  readonly kind?: 'latency';
  readonly title: string;
  readonly bars: readonly ChartBar[];
}

/** One ratio: its median over rounds as a bar, its interquartile range as a whisker. */
export interface RatioBar {
  readonly label: string;
  readonly median?: number;
  readonly low?: number;
  readonly high?: number;
}

/** A panel of ratios (multiples of a reference measured in the same run, drawn as a dashed line). */
export interface RatioPanel {
  readonly kind: 'ratio';
  readonly title: string;
  readonly bars: readonly RatioBar[];
  /** Where the reference sits (1 = the floor itself); default 1. */
  readonly reference?: number;
  readonly referenceLabel?: string;
}

export type ChartPanel = LatencyPanel | RatioPanel;

export interface Chart {
  readonly title: string;
  readonly subtitle?: string;
  readonly panels: readonly ChartPanel[];
}

const WIDTH = 960;
const LABEL_WIDTH = 360;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 120;
const BAR_HEIGHT = 12;
const ROW_HEIGHT = 2 * BAR_HEIGHT + 10;
const COLOURS = { p50: '#2b6cb0', p99: '#ed8936', ratio: '#2f855a', spread: '#1a202c', reference: '#718096' } as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Milliseconds with sensible precision: 0.0423 ms, 1.23 ms, 118 ms. */
export function formatMs(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${value.toPrecision(3)} ms`;
}

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/** `1.23 x`, `0.0456 x`: a ratio with sensible precision. */
export function formatRatio(value: number): string {
  return value >= 10 ? `${value.toFixed(1)} x` : value >= 0.1 ? `${value.toFixed(2)} x` : `${value.toPrecision(3)} x`;
}

/** Draws a ratio panel's rows from `y`; returns the y after them. */
function ratioRows(panel: RatioPanel, y: number, parts: string[]): number {
  const reference = panel.reference ?? 1;
  const max = Math.max(reference, ...panel.bars.flatMap((bar) => [bar.median, bar.high].filter(finite)));
  // Narrower than a latency panel's plot: the label after the longest bar is longer.
  const scale = (PLOT_WIDTH - 50) / max;
  const top = y;
  for (const bar of panel.bars) {
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`);
    const { median, low, high } = bar;
    if (!finite(median)) {
      parts.push(`<text x="${LABEL_WIDTH + 4}" y="${y + BAR_HEIGHT - 2}" class="value">n/a</text>`);
    } else {
      const width = Math.max(1, median * scale);
      const spread = finite(low) && finite(high) ? { low, high } : undefined;
      const range = spread ? ` data-low="${spread.low}" data-high="${spread.high}"` : '';
      parts.push(`<rect class="bar ratio" data-variant="${escapeXml(bar.label)}" data-value="${median}"${range} x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS.ratio}"/>`);
      let textX = LABEL_WIDTH + width;
      if (spread) {
        const x1 = LABEL_WIDTH + spread.low * scale;
        const x2 = LABEL_WIDTH + spread.high * scale;
        const mid = y + BAR_HEIGHT / 2;
        parts.push(`<line class="spread" x1="${x1.toFixed(1)}" y1="${mid}" x2="${x2.toFixed(1)}" y2="${mid}" stroke="${COLOURS.spread}" stroke-width="1.5"/>`);
        textX = Math.max(textX, x2);
      }
      const bare = (value: number): string => formatRatio(value).slice(0, -2);
      const text = spread ? `${formatRatio(median)} (IQR ${bare(spread.low)}-${bare(spread.high)})` : formatRatio(median);
      parts.push(`<text x="${(textX + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 2}" class="value">${escapeXml(text)}</text>`);
    }
    y += BAR_HEIGHT + 8;
  }
  const x = (LABEL_WIDTH + reference * scale).toFixed(1);
  parts.push(
    `<line class="reference" x1="${x}" y1="${top - 4}" x2="${x}" y2="${y - 4}" stroke="${COLOURS.reference}" stroke-dasharray="4 3"/>`,
    `<text x="${x}" y="${y + 6}" class="value" text-anchor="middle">${escapeXml(panel.referenceLabel ?? `${formatRatio(reference)}`)}</text>`,
  );
  return y + 12;
}

/**
 * Renders the chart. A latency bar is a `<rect class="bar p50|p99">` with `data-variant` and
 * `data-value`; a ratio bar is a `<rect class="bar ratio">` with `data-value` (the median) and
 * `data-low`/`data-high` (the IQR), its spread a `<line class="spread">`.
 */
export function renderChart(chart: Chart): string {
  const parts: string[] = [];
  let y = 56;
  for (const panel of chart.panels) {
    parts.push(`<text x="16" y="${y}" class="panel">${escapeXml(panel.title)}</text>`);
    y += 10;
    if (panel.kind === 'ratio') {
      y = ratioRows(panel, y, parts) + 18;
      continue;
    }
    const max = Math.max(0, ...panel.bars.flatMap((bar) => [bar.p50, bar.p99].filter(finite)));
    const scale = max > 0 ? PLOT_WIDTH / max : 0;
    for (const bar of panel.bars) {
      parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT + 4}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`);
      (['p50', 'p99'] as const).forEach((kind, i) => {
        const value = bar[kind];
        const top = y + i * (BAR_HEIGHT + 2);
        if (!finite(value)) {
          parts.push(`<text x="${LABEL_WIDTH + 4}" y="${top + BAR_HEIGHT - 2}" class="value">${kind} n/a</text>`);
          return;
        }
        const width = Math.max(1, value * scale);
        parts.push(
          `<rect class="bar ${kind}" data-variant="${escapeXml(bar.label)}" data-value="${value}" x="${LABEL_WIDTH}" y="${top}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS[kind]}"/>`,
          `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${top + BAR_HEIGHT - 2}" class="value">${kind} ${escapeXml(formatMs(value))}</text>`,
        );
      });
      y += ROW_HEIGHT;
    }
    y += 18;
  }
  const height = y + 10;
  const legend =
    `<rect x="${WIDTH - 380}" y="14" width="12" height="12" fill="${COLOURS.ratio}"/><text x="${WIDTH - 364}" y="24" class="value">median ratio, line: IQR</text>` +
    `<rect x="${WIDTH - 200}" y="14" width="12" height="12" fill="${COLOURS.p50}"/><text x="${WIDTH - 184}" y="24" class="value">p50</text>` +
    `<rect x="${WIDTH - 140}" y="14" width="12" height="12" fill="${COLOURS.p99}"/><text x="${WIDTH - 124}" y="24" class="value">p99</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    '<style>text{font-family:system-ui,sans-serif;fill:#1a202c}.title{font-size:16px;font-weight:600}.panel{font-size:13px;font-weight:600}.label,.value{font-size:11px}.sub{font-size:11px;fill:#4a5568}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="22" class="title">${escapeXml(chart.title)}</text>`,
    chart.subtitle !== undefined ? `<text x="16" y="38" class="sub">${escapeXml(chart.subtitle)}</text>` : '',
    legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
