import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import type { Construct } from 'constructs';
import { cacheUserAccessString, DISABLED_USER_ACCESS_STRING } from '../config/cache-acl';
import { CacheSecret } from './cache-secret';
import { physicalName } from './resource-names';

/**
 * Who may reach a managed cache and as whom, written once for every managed backend: the cache's
 * security group, and its app user with the password in a `CacheSecret`. Each function creates
 * its constructs directly in the backend's scope under fixed ids (`SecurityGroup`, `Secret`,
 * `AppUser`, ...), so the logical ids of deployed resources do not depend on this file.
 */

/**
 * The cache's security group: no ingress of its own (the stack admits the function's group on
 * the backend's ports) and no egress (a managed cache starts no connection).
 */
export function cacheSecurityGroup(scope: Construct, vpc: ec2.IVpc, service: string): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `${service}: ingress only from the cache function`,
    allowAllOutbound: false,
  });
}

/** An ElastiCache RBAC user group and the secret of its app user. */
export interface ElastiCacheAccess {
  readonly secret: CacheSecret;
  readonly userGroup: elasticache.CfnUserGroup;
}

/**
 * ElastiCache RBAC (serverless and node-based Valkey): a user group holding the app user
 * `llmcache` (password from the secret, access string `cacheUserAccessString(vectorSearch)`) and
 * the `default`-named user every group of engine `redis` must contain, switched off. Engine
 * `redis` for users and group: Valkey caches accept groups of engine `redis` and `valkey`, and
 * only a `redis` group may hold the password-less, switched-off `default` user.
 */
export function elastiCacheAccess(scope: Construct, props: { readonly secretDescription: string; readonly vectorSearch: boolean }): ElastiCacheAccess {
  const username = 'llmcache';
  const secret = new CacheSecret(scope, 'Secret', { username, description: props.secretDescription });
  const appUser = new elasticache.CfnUser(scope, 'AppUser', {
    engine: 'redis',
    userId: physicalName(scope, 'llmcache-app'),
    userName: username,
    accessString: cacheUserAccessString(props.vectorSearch),
    passwords: [secret.secretValueFromJson('password').unsafeUnwrap()],
  });
  const defaultUser = new elasticache.CfnUser(scope, 'DefaultUser', {
    engine: 'redis',
    userId: physicalName(scope, 'llmcache-off'),
    userName: 'default',
    accessString: DISABLED_USER_ACCESS_STRING,
    noPasswordRequired: true,
  });
  const userGroup = new elasticache.CfnUserGroup(scope, 'UserGroup', {
    engine: 'redis',
    userGroupId: physicalName(scope, 'llmcache'),
    userIds: [defaultUser.ref, appUser.ref],
  });
  return { secret, userGroup };
}

/** A MemoryDB ACL and the secret of its one user. */
export interface MemoryDbAccess {
  readonly secret: CacheSecret;
  readonly acl: memorydb.CfnACL;
}

/**
 * MemoryDB: an ACL holding only the app user (MemoryDB needs no `default` user in a custom ACL),
 * named per construct path, password from the secret, access string
 * `cacheUserAccessString(vectorSearch)`.
 */
export function memoryDbAccess(scope: Construct, props: { readonly secretDescription: string; readonly vectorSearch: boolean }): MemoryDbAccess {
  const username = physicalName(scope, 'llmcache');
  const secret = new CacheSecret(scope, 'Secret', { username, description: props.secretDescription });
  const user = new memorydb.CfnUser(scope, 'User', {
    userName: username,
    accessString: cacheUserAccessString(props.vectorSearch),
    authenticationMode: { Type: 'password', Passwords: [secret.secretValueFromJson('password').unsafeUnwrap()] },
  });
  const acl = new memorydb.CfnACL(scope, 'Acl', {
    aclName: physicalName(scope, 'llmcache-acl'),
    userNames: [user.ref],
  });
  return { secret, acl };
}
