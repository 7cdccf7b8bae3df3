/**
 * One request through the runtime:  npm run ask -- "Where is Las Vegas?" [options]
 * Prints the response JSON. See `npm run ask -- --help` for the options.
 */
import { LOCAL_USAGE, parseLocalArgs, setUpLocal } from './local-setup';

async function main(): Promise<void> {
  const { values, positionals } = parseLocalArgs(process.argv.slice(2));
  if (values.help === true || positionals.length !== 1) {
    console.log(`usage: npm run ask -- "prompt" [options]\n${LOCAL_USAGE}`);
    process.exit(values.help === true ? 0 : 2);
  }
  const local = await setUpLocal(values);
  try {
    const { handler } = await import('../lambda/handler');
    const namespace = values.namespace as string | undefined;
    const result = await handler({ prompt: positionals[0], ...(namespace ? { namespace } : {}) });
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = 'error' in (result as object) ? 1 : 0;
  } finally {
    await local.close();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
