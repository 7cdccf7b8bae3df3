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
  /** Source maps, so stack traces in the logs point at the TypeScript (with `--enable-source-maps`). */
  sourceMap: true,
  /**
   * No sources inside the map (default would embed them): a third of the size (about 1 MiB instead
   * of 3 MiB), and Node reads and parses the whole map at load when `--enable-source-maps` is set.
   * Stack traces need only the mappings.
   */
  sourcesContent: false,
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

/**
 * `NODE_OPTIONS` of the deployed function: Node maps stack traces through the source map. It
 * costs at cold start (Node reads the map at load), so the cold-start bench runs with it too.
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';
