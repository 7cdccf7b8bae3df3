import { Match, Template } from 'aws-cdk-lib/assertions';
import { cacheUserAccessString } from '../../lib/config/cache-acl';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack } from './support/build';
import { commonStackTests } from './support/common-stack-tests';

describe('LlmCache-MemoryDb', () => {
  let stack: LlmCacheStack;
  let template: Template;
  beforeAll(() => {
    stack = buildStack('memorydb');
    template = Template.fromStack(stack);
  });

  commonStackTests('memorydb', () => stack);

  it('creates a TLS cluster with a pinned engine version in its own subnet group', () => {
    template.hasResourceProperties('AWS::MemoryDB::Cluster', {
      TLSEnabled: true,
      Engine: 'valkey',
      EngineVersion: '7.2',
      NumShards: 1,
      NodeType: 'db.t4g.small',
      SubnetGroupName: { Ref: logicalId(template, 'AWS::MemoryDB::SubnetGroup') },
      ACLName: { Ref: logicalId(template, 'AWS::MemoryDB::ACL') },
    });
  });

  it('uses the engine default parameter group: no search parameter group', () => {
    template.resourceCountIs('AWS::MemoryDB::ParameterGroup', 0);
    const cluster = Object.values(template.findResources('AWS::MemoryDB::Cluster'))[0];
    expect(cluster.Properties.ParameterGroupName).toBeUndefined();
  });

  it('gives the ACL one dedicated user with the shared access string and a password from Secrets Manager', () => {
    template.hasResourceProperties('AWS::MemoryDB::User', {
      AccessString: cacheUserAccessString(false),
      AuthenticationMode: {
        Type: 'password',
        Passwords: [{ 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] }],
      },
    });
    const users = Object.keys(template.findResources('AWS::MemoryDB::User'));
    template.hasResourceProperties('AWS::MemoryDB::ACL', { UserNames: [{ Ref: users[0] }] });
  });

  it('rejects an invalid shard count at synth', () => {
    expect(() => buildStack('memorydb', { memoryDbShards: 0 })).toThrow(/memoryDbShards=0 is invalid/);
  });
});

function logicalId(template: Template, type: string): string {
  return Object.keys(template.findResources(type))[0];
}
