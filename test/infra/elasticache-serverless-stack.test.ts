import { Match, Template } from 'aws-cdk-lib/assertions';
import { cacheUserAccessString, DISABLED_USER_ACCESS_STRING } from '../../lib/config/cache-acl';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack } from './support/build';
import { commonStackTests } from './support/common-stack-tests';

describe('LlmCache-ElastiCacheServerless', () => {
  let stack: LlmCacheStack;
  let template: Template;
  beforeAll(() => {
    stack = buildStack('elasticache-serverless');
    template = Template.fromStack(stack);
  });

  commonStackTests('elasticache-serverless', () => stack);

  it('creates a Valkey serverless cache in the private subnets, behind its user group, with cost ceilings', () => {
    const group = Object.keys(template.findResources('AWS::ElastiCache::UserGroup'))[0];
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      MajorEngineVersion: '8',
      UserGroupId: { Ref: group },
      SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('privateSubnet') })]),
      CacheUsageLimits: { DataStorage: { Maximum: 5, Unit: 'GB' }, ECPUPerSecond: { Maximum: 5000 } },
    });
  });

  it('connects with TLS (serverless is TLS-only) on the cluster protocol', () => {
    expect(stack.backend.tls).toBe(true);
    expect(stack.backend.topology).toBe('cluster');
  });

  it('admits the function on 6379 (primary) and 6380 (reader) only', () => {
    expect([...stack.backend.ports].sort()).toEqual([6379, 6380]);
  });

  it('puts the app user, with a Secrets Manager password, and the required default user, switched off, in the group', () => {
    template.hasResourceProperties('AWS::ElastiCache::User', {
      Engine: 'redis',
      UserName: 'llmcache',
      AccessString: cacheUserAccessString(false),
      Passwords: [{ 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] }],
    });
    template.hasResourceProperties('AWS::ElastiCache::User', {
      Engine: 'redis',
      UserName: 'default',
      AccessString: DISABLED_USER_ACCESS_STRING,
    });
    const users = Object.keys(template.findResources('AWS::ElastiCache::User'));
    template.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      Engine: 'redis',
      UserIds: Match.arrayEquals(users.map((id) => ({ Ref: id })).sort((a, b) => (a.Ref.includes('Default') ? -1 : b.Ref.includes('Default') ? 1 : 0))),
    });
  });

  it('has no MemoryDB search parameter group', () => {
    template.resourceCountIs('AWS::MemoryDB::ParameterGroup', 0);
  });
});
