import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Props of the stack's network. */
export interface CacheNetworkProps {
  /** Extra interface endpoints a backend needs (e.g. SSM for the EC2 host). @default none */
  readonly extraInterfaceEndpoints?: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>>;
  /** Retention of the VPC flow log. @default 14 days */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** The VPC's address block; `HostEgress` takes its subnets from the top of it. */
export const VPC_CIDR = '10.0.0.0/16';

/**
 * A VPC over two AZs with private (isolated) subnets only: no internet gateway, no NAT. The
 * function and every managed cache live there and reach AWS APIs through VPC endpoints only:
 * `bedrock-runtime` and `secretsmanager` always, plus whatever the backend adds. The endpoints'
 * security group admits HTTPS only from the security groups granted access (the function, the
 * EC2 host), never from a CIDR. A backend that must download software (the `redis-stack` EC2
 * host) adds its own outbound path with `HostEgress`; these subnets never route to it.
 */
export class CacheNetwork extends Construct {
  /** The VPC. */
  readonly vpc: ec2.Vpc;
  /** Shared by every interface endpoint; admits HTTPS only from `allowEndpointAccess` callers. */
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** Where the function and the cache live. */
  readonly privateSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: CacheNetworkProps = {}) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    const endpoints: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
      BedrockRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      ...props.extraInterfaceEndpoints,
    };
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS only from the security groups granted access',
      allowAllOutbound: false,
    });
    for (const [name, service] of Object.entries(endpoints)) {
      this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        subnets: this.privateSubnets,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
    }
  }

  /** Lets a security group (the function's, the EC2 host's) reach the interface endpoints on 443. */
  allowEndpointAccess(peer: ec2.ISecurityGroup, description: string): void {
    this.endpointSecurityGroup.addIngressRule(peer, ec2.Port.tcp(443), description);
  }
}
