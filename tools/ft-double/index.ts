/**
 * FT test double: a RESP proxy in front of a real redis-server that answers the portable FT.*
 * subset itself and forwards everything else. See README.md.
 */
export { startFtDouble } from './double';
export type { BackendAddress } from './backend-client';
export { BACKFILL_ERROR, type FtEngineOptions } from './engine';
export type { FtDouble } from './proxy';
export { startSearchTarget, type SearchTarget } from './target';
export { startFtClusterDouble, type FtClusterDouble, type FtClusterDoubleOptions, type ProxyAddress } from './cluster-double';
export { startSearchClusterTarget, type SearchClusterTarget } from './cluster-target';
