import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Props of the alarm topic. */
export interface AlarmTopicProps {
  /** Address that receives alarm notifications (it must confirm the subscription once). */
  readonly email: string;
}

/** The CloudWatch service principal that publishes alarm notifications. */
const CLOUDWATCH = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

/**
 * The SNS topic alarms notify, with one email subscription. Encrypted (cdk-nag SNS2) with its own
 * customer managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS
 * managed `alias/aws/sns` key, whose policy cannot grant them `kms:Decrypt` and
 * `kms:GenerateDataKey*`. Publishing requires TLS (SNS3). Because that topic policy replaces
 * SNS's default one, CloudWatch gets its own `sns:Publish` statement, limited to this stack's
 * alarms by `allowAlarms`. Exists only when `-c alarmEmail=` is set (the key costs a monthly fee).
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the alarm topic of ${Stack.of(this).stackName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheTopicKey',
        principals: [CLOUDWATCH],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true, displayName: `${Stack.of(this).stackName} alarms` });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /** Lets CloudWatch publish to the topic on behalf of exactly these alarms. */
  allowAlarms(alarmArns: readonly string[]): void {
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStacksAlarmsToPublish',
        principals: [CLOUDWATCH],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': [...alarmArns] } },
      }),
    );
  }
}
