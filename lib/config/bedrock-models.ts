/**
 * Bedrock model ids and the IAM resources each needs.
 *
 * A cross-region inference profile (`us.anthropic...`) routes a call to the foundation model in
 * one of several destination regions, so `bedrock:InvokeModel` must allow the profile ARN in the
 * stack's region AND the foundation-model ARN in every destination region. The destination
 * regions are listed explicitly (no `*` region) from the Bedrock user guide's table of
 * supported cross-region inference profiles.
 */
import { INFERENCE_PROFILE_PREFIXES } from '../../lambda/settings/chat-models';

/** Destination regions of each supported inference-profile prefix. */
export const INFERENCE_PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
};

const FOUNDATION_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;

/** A model id split into its inference-profile prefix (if any) and foundation-model id. */
export interface ParsedModelId {
  /** The id as configured. */
  readonly modelId: string;
  /** `us` for `us.anthropic...`; undefined for a plain foundation-model id. */
  readonly profilePrefix?: string;
  /** The foundation model behind the id, e.g. `anthropic.claude-haiku-4-5-20251001-v1:0`. */
  readonly foundationModelId: string;
}

/**
 * Parses a chat model id. Returns an error message (listing what is valid) instead of throwing,
 * so the config validator can report every problem at once.
 */
export function parseModelId(modelId: string): ParsedModelId | string {
  const supported = Object.keys(INFERENCE_PROFILE_REGIONS).map((p) => `'${p}.'`).join(', ');
  const dot = modelId.indexOf('.');
  const head = modelId.slice(0, dot);
  const tail = modelId.slice(dot + 1);
  // A profile id is `<geo>.<provider>.<model>`: its tail is itself a foundation-model id.
  const isProfile = dot > 0 && INFERENCE_PROFILE_PREFIXES.includes(head) && FOUNDATION_MODEL_ID.test(tail);
  if (isProfile) {
    if (!(head in INFERENCE_PROFILE_REGIONS)) {
      return `inference profile prefix '${head}.' is not supported; valid: a foundation-model id or a profile starting with ${supported}`;
    }
    return { modelId, profilePrefix: head, foundationModelId: tail };
  }
  if (!FOUNDATION_MODEL_ID.test(modelId)) {
    return `'${modelId}' is not a Bedrock model id; valid: provider.model (e.g. anthropic.claude-haiku-4-5-20251001-v1:0) or a profile starting with ${supported}`;
  }
  return { modelId, foundationModelId: modelId };
}

/** ARN of an inference profile owned by AWS, in the given region and account. */
export function inferenceProfileArn(partition: string, region: string, account: string, modelId: string): string {
  return `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`;
}

/** ARN of a foundation model in one region (foundation models have no account). */
export function foundationModelArn(partition: string, region: string, foundationModelId: string): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${foundationModelId}`;
}

/**
 * Every ARN `bedrock:InvokeModel` must allow for one chat model id: the profile ARN plus the
 * foundation model in each destination region, or the foundation model in the stack's region.
 */
export function modelResourceArns(model: ParsedModelId, partition: string, region: string, account: string): string[] {
  if (model.profilePrefix === undefined) {
    return [foundationModelArn(partition, region, model.foundationModelId)];
  }
  const regions = INFERENCE_PROFILE_REGIONS[model.profilePrefix];
  return [
    inferenceProfileArn(partition, region, account, model.modelId),
    ...regions.map((r) => foundationModelArn(partition, r, model.foundationModelId)),
  ];
}
