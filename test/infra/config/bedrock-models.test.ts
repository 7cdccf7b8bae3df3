import { modelResourceArns, parseModelId } from '../../../lib/config/bedrock-models';

describe('Bedrock model ARNs', () => {
  it('maps a us. inference profile to its ARN and the foundation model in each destination region', () => {
    const parsed = parseModelId('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(modelResourceArns(parsed, 'aws', 'us-west-2', '123456789012')).toEqual([
      'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });

  it('maps a foundation-model id to that model in the stack region only', () => {
    const parsed = parseModelId('anthropic.claude-3-haiku-20240307-v1:0');
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(modelResourceArns(parsed, 'aws', 'eu-west-1', '123456789012')).toEqual([
      'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    ]);
  });

  it('never produces a wildcard', () => {
    const parsed = parseModelId('us.amazon.nova-lite-v1:0');
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(modelResourceArns(parsed, 'aws', 'us-east-1', '123456789012').join(' ')).not.toContain('*');
  });

  it('explains an unsupported profile prefix', () => {
    expect(parseModelId('apac.anthropic.claude-haiku-4-5-20251001-v1:0')).toMatch(/prefix 'apac\.' is not supported/);
  });
});
