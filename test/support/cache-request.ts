import type { CacheRequest, CacheRequestFields, Sampling } from '../../lambda/core/types';

/**
 * A change to a test's request. A `topP` replaces the sampling setting and a `temperature` does
 * too, as in a parsed request, which carries one of the two (`Sampling`); neither keeps the base's.
 */
export type RequestChange = Partial<CacheRequestFields> & { readonly temperature?: number; readonly topP?: number };

/** `base` with `change` applied; the result carries exactly one sampling setting. */
export function withChange(base: CacheRequest, change: RequestChange = {}): CacheRequest {
  const { temperature, topP, ...fields } = change;
  const { temperature: baseTemperature, topP: baseTopP, ...baseFields } = base;
  let sampling: Sampling;
  if (topP !== undefined) sampling = { topP };
  else if (temperature !== undefined) sampling = { temperature };
  else sampling = baseTopP !== undefined ? { topP: baseTopP } : { temperature: baseTemperature ?? 0 };
  return { ...baseFields, ...fields, ...sampling };
}
