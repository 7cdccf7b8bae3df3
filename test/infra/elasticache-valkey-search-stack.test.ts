import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { assertSearchCapable, ElastiCacheValkeySearchBackend } from '../../lib/backends/elasticache-valkey-search-backend';
import { cacheUserAccessString, DISABLED_USER_ACCESS_STRING } from '../../lib/config/cache-acl';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack, nagFindings } from './support/build';
import { commonStackTests } from './support/common-stack-tests';

describe('LlmCache-ElastiCacheValkeySearch', () => {
  let stack: LlmCacheStack;
  let template: Template;
  beforeAll(() => {
    stack = buildStack('elasticache-valkey-search');
    template = Template.fromStack(stack);
  });

  commonStackTests('elasticache-valkey-search', () => stack);

  it('creates a node-based Valkey 8.2 replication group in cluster mode, Multi-AZ, TLS required, encrypted at rest', () => {
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      EngineVersion: '8.2',
      CacheParameterGroupName: 'default.valkey8.cluster.on',
      CacheNodeType: 'cache.r7g.large',
      ClusterMode: 'enabled',
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      Port: 6379,
      CacheSubnetGroupName: { Ref: Match.stringLikeRegexp('SubnetGroup') },
      UserGroupIds: [{ Ref: Object.keys(template.findResources('AWS::ElastiCache::UserGroup'))[0] }],
    });
  });

  it('puts the subnet group in the private subnets', () => {
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('privateSubnet') })]),
    });
  });

  it('connects with TLS on the cluster protocol to the configuration endpoint, port 6379 only, with server-side search', () => {
    expect(stack.backend).toMatchObject({ tls: true, topology: 'cluster', vectorSearch: true, port: 6379 });
    expect([...stack.backend.ports]).toEqual([6379]);
    const backend = stack.backend as ElastiCacheValkeySearchBackend;
    expect(stack.resolve(backend.endpoint)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(backend.replicationGroup), 'ConfigurationEndPoint.Address'] });
  });

  it('grants its app user the search commands, beside the switched-off default user', () => {
    template.hasResourceProperties('AWS::ElastiCache::User', {
      Engine: 'redis',
      UserName: 'llmcache',
      AccessString: cacheUserAccessString(true),
      Passwords: [{ 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] }],
    });
    template.hasResourceProperties('AWS::ElastiCache::User', { Engine: 'redis', UserName: 'default', AccessString: DISABLED_USER_ACCESS_STRING });
    expect(cacheUserAccessString(true)).toContain('+ft.search');
  });

  it('adds no endpoint beyond bedrock-runtime and secretsmanager, and keeps the cache out of them', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    const sgId = stack.getLogicalId(stack.backend.securityGroup.node.defaultChild as never);
    const fromCache = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { SourceSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } },
    });
    expect(Object.keys(fromCache)).toEqual([]);
  });

  it('scales shards and replicas from context; without replicas it turns Multi-AZ off and stays nag-clean', () => {
    const sized = buildStack('elasticache-valkey-search', { valkeySearchShards: 3, valkeySearchReplicasPerShard: 0 });
    Template.fromStack(sized).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 0,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: false,
    });
    expect(nagFindings(sized)).toEqual([]);
  });

  describe('refuses what vector search does not run on, when the construct is used directly', () => {
    const build = (props: { nodeType?: string; engineVersion?: string }) => {
      const scope = new Stack(new App(), 'Direct');
      const vpc = new ec2.Vpc(scope, 'Vpc');
      return new ElastiCacheValkeySearchBackend(scope, 'Cache', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, ...props });
    };

    it.each([
      [{ engineVersion: '8.1' }, /needs Valkey 8.2 or later; got engineVersion=8.1/],
      [{ engineVersion: '7.2' }, /needs Valkey 8.2 or later; got engineVersion=7.2/],
      [{ nodeType: 'cache.r6gd.xlarge' }, /does not run on data-tiering nodes; got nodeType=cache.r6gd.xlarge/],
      [{ nodeType: 'cache.t4g.small' }, /cache.t4g.small needs a 30-50% memory reserve/],
      [{ nodeType: 'cache.t3.micro' }, /cache.t3.micro needs a 30-50% memory reserve/],
    ])('%j', (props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    it.each(['cache.r7g.large', 'cache.m7g.xlarge', 'cache.t4g.medium', 'cache.r6g.large'])('accepts %s on 8.2 and 9.0', (nodeType) => {
      expect(() => assertSearchCapable(nodeType, '8.2')).not.toThrow();
      expect(() => assertSearchCapable(nodeType, '9.0')).not.toThrow();
    });
  });
});
