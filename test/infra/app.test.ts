import { App } from 'aws-cdk-lib';
import { createStacks } from '../../lib/app';
import { ConfigError } from '../../lib/config/app-config';
import { buildStacks, TEST_ENV } from './support/build';

describe('createStacks', () => {
  it('builds all five stacks when no backend is named', () => {
    expect(buildStacks().map((s) => s.stackName)).toEqual([
      'LlmCache-RedisStack',
      'LlmCache-ElastiCacheServerless',
      'LlmCache-MemoryDb',
      'LlmCache-MemoryDbVector',
      'LlmCache-ElastiCacheValkeySearch',
    ]);
  });

  it('builds only the stack of -c backend=<id>', () => {
    expect(buildStacks({ backend: 'elasticache-serverless' }).map((s) => s.stackName)).toEqual(['LlmCache-ElastiCacheServerless']);
  });

  it('stops on an unknown backend id with a message that lists the valid ids', () => {
    expect(() => buildStacks({ backend: 'valkey' })).toThrow(ConfigError);
    expect(() => buildStacks({ backend: 'valkey' })).toThrow(
      'backend=valkey is not a backend; valid values: redis-stack, elasticache-serverless, memorydb, memorydb-vector, elasticache-valkey-search',
    );
  });

  it('gives each stack its own VPC so each backend deploys and destroys alone', () => {
    const stacks = buildStacks();
    expect(new Set(stacks.map((s) => s.node.findChild('Network').node.path)).size).toBe(5);
  });

  it('synthesizes with the AwsSolutions validation plugin and no account (offline)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], backend: 'memorydb' } });
    createStacks(app, { env: TEST_ENV });
    expect(() => app.synth()).not.toThrow();
  });
});
