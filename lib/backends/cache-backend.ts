import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** How the runtime must talk to a cache: one standalone server or a cluster-protocol endpoint. */
export type CacheTopology = 'standalone' | 'cluster';

/**
 * What every backend construct exposes to the function and the stack. One implementation per
 * file; the function reads only this, never a backend's own resources.
 */
export interface ICacheBackend {
  /** Host name or IP address the client connects to (a token until deploy). */
  readonly endpoint: string;
  /** TCP port of the endpoint. */
  readonly port: number;
  /** Whether the endpoint speaks TLS (`rediss://`). */
  readonly tls: boolean;
  /** Standalone server or cluster protocol. */
  readonly topology: CacheTopology;
  /** Security group of the cache; the stack lets the function's group in. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Ports the function must reach on `securityGroup`. */
  readonly ports: readonly number[];
  /** Secret `{ "username", "password" }` of the cache user the function authenticates as. */
  readonly secret: secretsmanager.ISecret;
  /** Whether the server runs FT.* vector search (otherwise the runtime decides, `auto`). */
  readonly vectorSearch: boolean;
}
