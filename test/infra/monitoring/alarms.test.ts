import { Match, Template } from 'aws-cdk-lib/assertions';
import { isMetricName } from '../../../lambda/observability/metric-names';
import type { LlmCacheStack } from '../../../lib/stacks/llm-cache-stack';
import { emitAllScenarios } from '../../lambda/observability/scenarios';
import { buildStack, nagFindings } from '../support/build';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

const alarmsOf = (template: Template): Resources => template.findResources('AWS::CloudWatch::Alarm') as Resources;

describe('the stack alarms', () => {
  describe('without alarmEmail', () => {
    let stack: LlmCacheStack;
    let template: Template;
    beforeAll(() => {
      stack = buildStack('memorydb');
      template = Template.fromStack(stack);
    });

    it('alarms on more than 10 cache faults in 5 minutes, under the runtime namespace and service, never on missing data', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'BedrockLlmCache',
        MetricName: 'CacheFault',
        Dimensions: [{ Name: 'service', Value: { Ref: 'AWS::StackName' } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms on any function error in 5 minutes, never on missing data', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(stack.cacheFunction.function.node.defaultChild as never) } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('has exactly these two alarms, each on a runtime metric the observer emits or on the function', () => {
      const emitted = new Set(emitAllScenarios().map((point) => point.name));
      const alarms = Object.values(alarmsOf(template)).map((a) => [a.Properties.Namespace, a.Properties.MetricName] as [string, string]);

      expect(alarms).toHaveLength(2);
      for (const [, name] of alarms.filter(([ns]) => ns === 'BedrockLlmCache')) {
        expect(isMetricName(name)).toBe(true);
        expect(emitted.has(name)).toBe(true);
      }
    });

    it('creates no topic, no key and no alarm actions', () => {
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.resourceCountIs('AWS::KMS::Key', 0);
      for (const alarm of Object.values(alarmsOf(template))) {
        expect(alarm.Properties.AlarmActions).toBeUndefined();
        expect(alarm.Properties.OKActions).toBeUndefined();
      }
    });

    it('shows both alarms on the dashboard', () => {
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
      for (const id of Object.keys(alarmsOf(template))) expect(body).toContain(`"${id}","Arn"`);
    });
  });

  describe('with alarmEmail', () => {
    let stack: LlmCacheStack;
    let template: Template;
    let topicId: string;
    let keyId: string;
    beforeAll(() => {
      stack = buildStack('memorydb', { alarmEmail: 'ops@example.com' });
      template = Template.fromStack(stack);
      topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
      keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
    });

    it('subscribes the address to one topic encrypted with its own rotating key', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
    });

    it('lets CloudWatch use the key (the AWS managed SNS key would refuse it)', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
    });

    it('lets only this stack alarms publish, and only over TLS', () => {
      const alarmArns = Object.keys(alarmsOf(template)).map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': alarmArns } } }),
          ]),
        },
      });
    });

    it('sends both alarms (entering ALARM and returning to OK) to the topic', () => {
      const alarms = Object.values(alarmsOf(template));
      expect(alarms).toHaveLength(2);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('leaves no cdk-nag finding', () => {
      expect(nagFindings(stack)).toEqual([]);
    });
  });
});
