import { Match, Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MemoryDbVectorBackend } from '../../lib/backends/memorydb-vector-backend';
import { cacheUserAccessString } from '../../lib/config/cache-acl';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack } from './support/build';
import { commonStackTests } from './support/common-stack-tests';

describe('LlmCache-MemoryDbVector', () => {
  let stack: LlmCacheStack;
  let template: Template;
  beforeAll(() => {
    stack = buildStack('memorydb-vector');
    template = Template.fromStack(stack);
  });

  commonStackTests('memorydb-vector', () => stack);

  it('creates a search parameter group with search-enabled yes in the memorydb_redis7 family', () => {
    template.resourceCountIs('AWS::MemoryDB::ParameterGroup', 1);
    template.hasResourceProperties('AWS::MemoryDB::ParameterGroup', {
      Family: 'memorydb_redis7',
      Parameters: { 'search-enabled': 'yes' },
    });
  });

  it('creates a single-shard TLS cluster on the search parameter group and engine redis 7.1', () => {
    const group = Object.keys(template.findResources('AWS::MemoryDB::ParameterGroup'))[0];
    template.hasResourceProperties('AWS::MemoryDB::Cluster', {
      TLSEnabled: true,
      NumShards: 1,
      Engine: 'redis',
      EngineVersion: '7.1',
      ParameterGroupName: { Ref: group },
      ACLName: Match.anyValue(),
    });
  });

  it('grants its cache user the search commands (and only this stack does)', () => {
    template.hasResourceProperties('AWS::MemoryDB::User', { AccessString: cacheUserAccessString(true) });
    expect(cacheUserAccessString(true)).toContain('+ft.search');
  });

  it('stops synth when asked for more than one shard, saying why', () => {
    expect(() => buildStack('memorydb-vector', { memoryDbVectorShards: 2 })).toThrow(
      /memoryDbVectorShards=2 is invalid; valid values: 1 \(MemoryDB vector search supports exactly one shard\)/,
    );
  });

  it('refuses more than one shard when the construct is used directly', () => {
    const scope = new Stack(new App(), 'Direct');
    const vpc = new ec2.Vpc(scope, 'Vpc');
    expect(
      () => new MemoryDbVectorBackend(scope, 'Cache', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, numShards: 3 }),
    ).toThrow(/MemoryDB vector search supports exactly one shard; got numShards=3/);
  });
});
