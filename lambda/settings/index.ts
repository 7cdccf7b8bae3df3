import type { Setting } from './parse';
import { backendRows } from './backend-settings';
import { RUNTIME_SETTINGS } from './runtime-settings';
import { SHARED_SETTINGS, SYNTH_SETTINGS } from './table';

export { SHARED_SETTINGS, SYNTH_SETTINGS } from './table';
export { RUNTIME_SETTINGS } from './runtime-settings';
export { BACKEND_SETTINGS, type BackendSettings, type BackendSettingsId } from './backend-settings';

/** Every row once: shared, runtime-only, synth-only, per-backend (README order). */
export function allSettings(): readonly Setting<unknown>[] {
  const groups: Readonly<Record<string, Setting<unknown>>>[] = [SHARED_SETTINGS, RUNTIME_SETTINGS, SYNTH_SETTINGS];
  return [...groups.flatMap((group) => Object.values(group)), ...backendRows()];
}
