/** Lambda entry point. Placeholder until the runtime lands: answers every event with an error. */
export async function handler(_event: unknown): Promise<unknown> {
  return { error: { code: 'NotImplemented', message: 'runtime not built yet' } };
}
