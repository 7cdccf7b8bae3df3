import * as path from 'node:path';

/** Repository root: every function bundles its entry under `lambda/` with the root lock file. */
export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/**
 * How the cache function is bundled: one table that `cache-function.ts` (NodejsFunction) and the
 * cold-start bench (`bench/cold-start.ts`, plain esbuild) both read, so the bench measures the
 * bundle that is deployed. Plain data, no CDK import: the bench loads it cheaply.
 */
export const FUNCTION_BUNDLING = {
  /** Minified: less source for V8 to parse at every cold start. */
  minify: true,
  /**
   * No source map, and no `--enable-source-maps`: Node reads and parses the whole map when it loads
   * the bundle (measured: 17 ms of a 150 ms cold start, 9 interleaved runs each), and the function
   * never logs a stack trace it could improve (errors are logged as code, detail and cause; see
   * `lambda/observability/error-log.ts`).
   */
  sourceMap: false,
  /** The Lambda runtime's Node.js major. */
  target: 'node22',
  /**
   * Export conditions beyond esbuild's `import`/`require`/`default`: only `node`. Setting them
   * drops esbuild's default `module` condition, which would otherwise pick the AWS SDK's and
   * Smithy's ESM builds (`dist-es`) over the CommonJS builds Node itself loads (`dist-cjs`);
   * the ESM builds, wrapped for CJS, cost more to evaluate at cold start.
   */
  conditions: ['node'],
} as const;
