import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { LlmCacheConfig } from '../config/app-config';

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
  /** Whether the server runs FT.* vector search (`SEMANTIC_INDEX=search`); otherwise `client`, the runtime's client-side index. */
  readonly vectorSearch: boolean;
}

/** Where a backend goes: the stack's VPC and its private (isolated) subnets. */
export interface BackendPlacement {
  /** VPC of the cache. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of the cache. */
  readonly subnets: ec2.SubnetSelection;
}

/**
 * What a backend needs from the stack's network. Static, because the network exists before the
 * backend: its interface endpoints are created with the VPC.
 */
export interface BackendNetworkNeeds {
  /** Interface endpoints beyond `bedrock-runtime` and `secretsmanager`, by construct id prefix. @default none */
  readonly extraInterfaceEndpoints?: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>>;
  /**
   * Description of the rule admitting the backend's own security group to the interface
   * endpoints, for a backend that calls AWS APIs itself (the EC2 host). @default no access
   */
  readonly endpointAccess?: string;
}

/**
 * One deployable backend as the stack sees it: what it needs from the network, and how it is
 * built from the validated settings (each unit reads only its own `settings.backends[id]`).
 * `lib/backends/registry.ts` maps every backend id to its unit.
 */
export interface BackendUnit {
  readonly network: BackendNetworkNeeds;
  /** Builds the backend construct (id `Cache`, which every stack's logical ids start from). */
  create(scope: Construct, where: BackendPlacement, settings: LlmCacheConfig): ICacheBackend;
}
