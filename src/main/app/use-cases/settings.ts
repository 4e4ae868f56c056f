// Reading and changing the settings; thresholds that move re-plan every library's deadlines and statuses. A default
// API URL on a host that is not Apicbase's is taken only with a confirmation naming that host.
import { checkDefaultApiBaseUrlChange } from '../../core/apicbase/index.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import type { VaultSettings, VaultSettingsPatch } from '../../core/vault/index.ts'

export type SettingsUpdate = VaultSettingsPatch & {
  /** The host of a new defaultApiBaseUrl that is not Apicbase's, confirmed by the person. Not stored. */
  readonly confirmedDefaultApiHost?: string
}

export type SettingsPorts = Pick<LarderCore, 'vault' | 'replan'>

export function readSettings(ports: SettingsPorts): VaultSettings {
  return ports.vault.settings()
}

export async function updateSettings(ports: SettingsPorts, update: SettingsUpdate): Promise<VaultSettings> {
  const { confirmedDefaultApiHost, ...patch } = update
  if (patch.defaultApiBaseUrl !== undefined) checkDefaultApiBaseUrlChange(ports.vault.settings().defaultApiBaseUrl, patch.defaultApiBaseUrl, confirmedDefaultApiHost)
  const settings = await ports.vault.updateSettings(patch)
  ports.replan()
  return settings
}
