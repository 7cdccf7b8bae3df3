import type { Template } from 'aws-cdk-lib/assertions';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** One route of a route table, as the template declares it. */
export interface DeclaredRoute {
  readonly destination: unknown;
  /** `NatGatewayId`, `GatewayId` (internet gateway), or whatever target the route names. */
  readonly target: string;
}

function ref(value: unknown): string | undefined {
  return (value as { Ref?: string } | undefined)?.Ref;
}

/** Routes of the route table associated with a subnet (by the subnet's logical id). */
export function routesOfSubnet(template: Template, subnetId: string): DeclaredRoute[] {
  const associations = Object.values(template.findResources('AWS::EC2::SubnetRouteTableAssociation') as Resources);
  const tables = associations.filter((a) => ref(a.Properties?.SubnetId) === subnetId).map((a) => ref(a.Properties?.RouteTableId));
  if (tables.length !== 1) throw new Error(`subnet ${subnetId} has ${tables.length} route table associations`);
  const routes = Object.values(template.findResources('AWS::EC2::Route') as Resources).filter(
    (r) => ref(r.Properties?.RouteTableId) === tables[0],
  );
  return routes.map((r) => {
    const { RouteTableId: _table, DestinationCidrBlock, DestinationIpv6CidrBlock, ...target } = r.Properties ?? {};
    return { destination: DestinationCidrBlock ?? DestinationIpv6CidrBlock, target: Object.keys(target).join(',') };
  });
}

/**
 * Logical ids of the subnets the stack's Lambda functions run in (the cache function, and any
 * other function placed in the VPC), without duplicates.
 */
export function functionSubnetIds(template: Template): string[] {
  const functions = Object.values(template.findResources('AWS::Lambda::Function') as Resources);
  const ids = new Set<string>();
  for (const fn of functions) {
    const vpcConfig = fn.Properties?.VpcConfig as { SubnetIds: unknown[] } | undefined;
    for (const subnet of vpcConfig?.SubnetIds ?? []) {
      const id = ref(subnet);
      if (id === undefined) throw new Error('function subnet is not a Ref');
      ids.add(id);
    }
  }
  if (ids.size === 0) throw new Error('no Lambda function runs in the VPC');
  return [...ids];
}
