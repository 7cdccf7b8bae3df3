/** Helpers that read CloudFormation values of the monitoring resources back as plain data. */

/** Turns an `Fn::Join` (or a plain string) into text, each `{ Ref: X }` written as `${X}`. */
export function joinToText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) throw new Error(`not a string or Fn::Join: ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref !== undefined) return `\${${ref}}`;
      const getAtt = (part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
      if (getAtt !== undefined) return `\${${getAtt.join('.')}}`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join(join[0]);
}

/** One metric a dashboard widget draws, as CloudWatch reads it. */
export interface DashboardMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat?: string;
  readonly id?: string;
}

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][]; readonly markdown?: string };
}

/** The widgets of a dashboard body. */
export function widgetsOf(body: unknown): Widget[] {
  return (JSON.parse(joinToText(body)) as { widgets: Widget[] }).widgets;
}

/** Every metric (not expression) the dashboard draws or feeds into an expression. */
export function dashboardMetrics(body: unknown): DashboardMetric[] {
  return widgetsOf(body).flatMap((widget) =>
    (widget.properties.metrics ?? []).flatMap((entry) => {
      const options = (typeof entry[entry.length - 1] === 'object' ? entry[entry.length - 1] : {}) as { stat?: string; id?: string };
      const strings = entry.filter((part): part is string => typeof part === 'string');
      if (strings.length < 2) return [];
      const [namespace, name, ...pairs] = strings;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i]!] = pairs[i + 1]!;
      return [{ widget: widget.properties.title ?? widget.type, namespace: namespace!, name: name!, dimensions, ...options }];
    }),
  );
}

/** Every metric expression the dashboard draws. */
export function dashboardExpressions(body: unknown): { widget: string; expression: string }[] {
  return widgetsOf(body).flatMap((widget) =>
    (widget.properties.metrics ?? []).flatMap((entry) => {
      const options = entry[0] as { expression?: string };
      return typeof options === 'object' && options.expression !== undefined ? [{ widget: widget.properties.title ?? '', expression: options.expression }] : [];
    }),
  );
}
