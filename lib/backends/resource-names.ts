import { Names } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A physical name that ElastiCache, MemoryDB and ECR all accept (lowercase letters, digits,
 * single hyphens, starting with a letter) and that is unique per construct path: the readable
 * `base` plus the 8-character hash CDK derives from the path. Names are stable across synths, so
 * two stacks in one account and region never collide.
 */
export function physicalName(scope: IConstruct, base: string): string {
  const hash = Names.uniqueId(scope).slice(-8).toLowerCase();
  return `${base}-${hash}`;
}
