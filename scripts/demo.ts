/**
 * The story this project exists for, on a laptop with no AWS account:
 *   npm start                       embedded cache + local Bedrock emulator
 *   npm start -- --redis-url redis://127.0.0.1:6379
 *   npm start -- --bedrock aws      real Bedrock (default AWS credential chain)
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_USAGE, parseLocalArgs, setUpLocal } from './local-setup';

const STORY = [
  { step: 'first ask', prompt: 'Where is Las Vegas?' },
  { step: 'same again', prompt: 'Where is Las Vegas?' },
  { step: 'same meaning', prompt: 'Where is Vegas?' },
];

async function main(): Promise<void> {
  const { values } = parseLocalArgs(process.argv.slice(2));
  if (values.help === true) {
    console.log(`usage: npm start -- [options]\n${LOCAL_USAGE}`);
    return;
  }
  const local = await setUpLocal(values);
  try {
    const { handler } = await import('../lambda/handler');
    const namespace = (values.namespace as string | undefined) ?? `demo-${randomUUID().slice(0, 8)}`;
    console.log(`bedrock-llm-cache: ${local.describe}\n`);
    const rows: string[][] = [['step', 'prompt', 'cache', 'similarity', 'latency ms', 'answer']];
    for (const { step, prompt } of STORY) {
      const result = (await handler({ prompt, mode: 'semantic', namespace })) as unknown as Record<string, unknown>;
      if ('error' in result) throw new Error(`request failed: ${JSON.stringify(result.error)}`);
      rows.push([
        step,
        prompt,
        String(result.cache),
        typeof result.similarity === 'number' ? result.similarity.toFixed(3) : '-',
        Number(result.latencyMs).toFixed(1),
        truncate(String(result.text), 48),
      ]);
    }
    console.log(table(rows));
    if (local.emulator) console.log(`\nmodel calls: ${local.emulator.calls.converse}, embedding calls: ${local.emulator.calls.embed}`);
  } finally {
    await local.close();
  }
  process.exit(0);
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]): string => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
