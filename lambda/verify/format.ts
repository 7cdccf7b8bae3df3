import { CHECK_STEPS, type DeployCheckReport, type StepResult } from './deploy-check';

/** One line per passed step: outcome, similarity, latency in the function and round trip. */
export function formatStep(step: StepResult): string {
  const similarity = step.similarity !== undefined ? `, similarity ${step.similarity.toFixed(4)}` : '';
  const inFunction = step.latencyMs !== undefined ? `${step.latencyMs.toFixed(1)} ms in the function, ` : '';
  const retried = step.attempts > 1 ? ` after ${step.attempts} attempts` : '';
  return `step ${step.index}/${CHECK_STEPS.length} ${step.name}: ok${retried} (cache ${step.cache}${similarity}; ${inFunction}round trip ${step.roundTripMs.toFixed(0)} ms)`;
}

/** The closing line of a passed run. */
export function formatSummary(report: DeployCheckReport): string {
  const semantic = report.steps.find((s) => s.name === 'semantic');
  const similarity = semantic?.similarity !== undefined ? ` (paraphrase similarity ${semantic.similarity.toFixed(4)})` : '';
  return `post-deploy check passed: miss, exact, semantic in namespace ${report.namespace}${similarity}`;
}
