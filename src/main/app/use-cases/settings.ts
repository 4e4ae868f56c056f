// Reading and changing the settings; thresholds that move re-plan every library's deadlines and statuses.
import type { LarderCore } from '../../core/larder-core.ts'
import type { VaultSettings, VaultSettingsPatch } from '../../core/vault/index.ts'

export type SettingsPorts = Pick<LarderCore, 'vault' | 'replan'>

export function readSettings(ports: SettingsPorts): VaultSettings {
  return ports.vault.settings()
}

export async function updateSettings(ports: SettingsPorts, patch: VaultSettingsPatch): Promise<VaultSettings> {
  const settings = await ports.vault.updateSettings(patch)
  ports.replan()
  return settings
}
