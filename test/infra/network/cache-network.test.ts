import { Template } from 'aws-cdk-lib/assertions';
import { BACKEND_IDS, STACK_NAMES, type BackendId } from '../../../lib/config/backends';
import { HOST_EGRESS_CIDRS } from '../../../lib/network/host-egress';
import { buildStacks } from '../support/build';
import { functionSubnetIds, routesOfSubnet } from '../support/routes';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** [first, last] address of an IPv4 CIDR, as integers. */
function cidrRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split('/');
  const base = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  return [base, base + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [a0, a1] = cidrRange(a);
  const [b0, b1] = cidrRange(b);
  return a0 <= b1 && b0 <= a1;
}

describe('the network of every stack', () => {
  const templates = new Map<BackendId, Template>();
  beforeAll(() => {
    const stacks = buildStacks();
    for (const backend of BACKEND_IDS) {
      const stack = stacks.find((s) => s.stackName === STACK_NAMES[backend]);
      if (stack === undefined) throw new Error(`no stack for ${backend}`);
      templates.set(backend, Template.fromStack(stack));
    }
  });

  it.each(BACKEND_IDS)('%s: the function subnets have no route to the internet, through a NAT or an internet gateway', (backend) => {
    const template = templates.get(backend)!;
    const subnets = functionSubnetIds(template);
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) {
      const routes = routesOfSubnet(template, subnet);
      expect(routes.filter((r) => r.destination === '0.0.0.0/0' || r.destination === '::/0')).toEqual([]);
      expect(routes.filter((r) => /NatGatewayId|GatewayId|EgressOnlyInternetGatewayId/.test(r.target))).toEqual([]);
    }
  });

  it.each(BACKEND_IDS.filter((b) => b !== 'redis-stack'))('%s: has no NAT gateway, internet gateway or elastic IP at all', (backend) => {
    const template = templates.get(backend)!;
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
  });

  describe('redis-stack: the EC2 host alone reaches the internet', () => {
    let template: Template;
    let hostSubnet: string;
    beforeAll(() => {
      template = templates.get('redis-stack')!;
      const instance = Object.values(template.findResources('AWS::EC2::Instance') as Resources)[0];
      hostSubnet = (instance.Properties?.SubnetId as { Ref: string }).Ref;
    });

    it('has exactly one NAT gateway and one internet gateway', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 1);
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      template.resourceCountIs('AWS::EC2::Subnet', 4);
    });

    it('routes the host subnet to the NAT gateway, and the NAT subnet to the internet gateway', () => {
      expect(routesOfSubnet(template, hostSubnet)).toEqual([{ destination: '0.0.0.0/0', target: 'NatGatewayId' }]);
      const nat = Object.values(template.findResources('AWS::EC2::NatGateway') as Resources)[0];
      const natSubnet = (nat.Properties?.SubnetId as { Ref: string }).Ref;
      expect(routesOfSubnet(template, natSubnet)).toEqual([{ destination: '0.0.0.0/0', target: 'GatewayId' }]);
    });

    it('keeps the host out of the function subnets and gives no subnet public addresses on launch', () => {
      expect(functionSubnetIds(template)).not.toContain(hostSubnet);
      const subnets = Object.values(template.findResources('AWS::EC2::Subnet') as Resources);
      for (const subnet of subnets) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
    });

    it('takes the egress subnets from address space the isolated subnets do not use', () => {
      const subnets = template.findResources('AWS::EC2::Subnet') as Resources;
      const isolated = functionSubnetIds(template).map((id) => subnets[id].Properties?.CidrBlock as string);
      for (const cidr of Object.values(HOST_EGRESS_CIDRS)) {
        for (const other of isolated) expect(overlaps(cidr, other)).toBe(false);
      }
      expect(overlaps(HOST_EGRESS_CIDRS.public, HOST_EGRESS_CIDRS.host)).toBe(false);
    });

    it('starts the host only after its NAT route exists', () => {
      const [id] = Object.keys(template.findResources('AWS::EC2::Instance'));
      const dependsOn = (template.toJSON().Resources[id] as { DependsOn: string[] }).DependsOn;
      const [natRoute] = Object.entries(template.findResources('AWS::EC2::Route') as Resources).find(
        ([, r]) => 'NatGatewayId' in (r.Properties ?? {}),
      )!;
      expect(dependsOn).toContain(natRoute);
    });
  });
});
