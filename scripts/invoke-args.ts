import { BACKEND_IDS } from '../lib/config/backends';
import { InvokeError, type InvokeRequest } from './invoke-client';

/** Usage line shown on bad arguments. */
export const INVOKE_USAGE = `usage: npm run invoke -- <${BACKEND_IDS.join('|')}> "prompt" [--stream] [--mode standard|semantic|off|refresh] [--namespace name]`;

/** Parses `<backend> "prompt" [--stream] [--mode m] [--namespace n]`. */
export function parseInvokeArgs(argv: readonly string[]): InvokeRequest {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  let stream = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--stream') {
      stream = true;
    } else if (arg === '--mode' || arg === '--namespace') {
      const value = argv[i + 1];
      if (value === undefined) throw new InvokeError(`${arg} needs a value\n${INVOKE_USAGE}`);
      options[arg.slice(2)] = value;
      i += 1;
    } else if (arg.startsWith('--')) {
      throw new InvokeError(`unknown option ${arg}\n${INVOKE_USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  const [backend, ...promptWords] = positional;
  const prompt = promptWords.join(' ').trim();
  if (backend === undefined || prompt === '') throw new InvokeError(INVOKE_USAGE);
  return { backend, prompt, options, ...(stream ? { stream: true } : {}) };
}
