import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, type IDependable } from 'constructs';

/**
 * Address blocks of the egress path, at the top of the VPC's 10.0.0.0/16. `CacheNetwork`
 * allocates its isolated subnets from the bottom (two /22s, 10.0.0.0-10.0.7.255), so these never
 * overlap them. /28 is the smallest subnet a VPC allows.
 */
export const HOST_EGRESS_CIDRS = { public: '10.0.255.0/28', host: '10.0.255.16/28' } as const;

/** Props of a host egress path. */
export interface HostEgressProps {
  /** VPC whose CIDR is `CacheNetwork`'s 10.0.0.0/16. */
  readonly vpc: ec2.IVpc;
  /** AZ of both subnets and the NAT gateway. @default the VPC's first AZ */
  readonly availabilityZone?: string;
}

/**
 * An outbound-only path to the internet for one EC2 host: an internet gateway, a public subnet
 * holding one NAT gateway, and a private subnet whose default route goes to that NAT. Only the
 * host goes in `hostSubnet`; the VPC's isolated subnets (the function's) keep route tables with
 * no route to the NAT or the internet gateway. Nothing is reachable from the internet: the
 * public subnet holds only the NAT gateway and assigns no public addresses on launch.
 */
export class HostEgress extends Construct {
  /** Private subnet with a default route to the NAT gateway. */
  readonly hostSubnet: ec2.PrivateSubnet;
  /** Completes once the NAT route exists; the host depends on it so its first boot has egress. */
  readonly ready: IDependable;
  /** The NAT gateway. */
  readonly natGateway: ec2.CfnNatGateway;

  constructor(scope: Construct, id: string, props: HostEgressProps) {
    super(scope, id);
    const availabilityZone = props.availabilityZone ?? props.vpc.availabilityZones[0];
    const vpcId = props.vpc.vpcId;

    const internetGateway = new ec2.CfnInternetGateway(this, 'InternetGateway');
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
      vpcId,
      internetGatewayId: internetGateway.ref,
    });

    const publicSubnet = new ec2.PublicSubnet(this, 'NatSubnet', {
      vpcId,
      availabilityZone,
      cidrBlock: HOST_EGRESS_CIDRS.public,
      mapPublicIpOnLaunch: false,
    });
    publicSubnet.addDefaultInternetRoute(internetGateway.ref, attachment);
    this.natGateway = publicSubnet.addNatGateway();

    this.hostSubnet = new ec2.PrivateSubnet(this, 'HostSubnet', {
      vpcId,
      availabilityZone,
      cidrBlock: HOST_EGRESS_CIDRS.host,
      mapPublicIpOnLaunch: false,
    });
    this.hostSubnet.addDefaultNatRoute(this.natGateway.ref);
    this.ready = this.hostSubnet.internetConnectivityEstablished;
  }
}
