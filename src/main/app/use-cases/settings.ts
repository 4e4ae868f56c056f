// Reading and changing the settings; thresholds that move re-plan every library's deadlines and statuses. A default
// API URL on a host that is not Apicbase's is taken only with a confirmation naming that host.
import { checkDefaultApiBaseUrlChange } from '../../core/apicbase/index.ts'
import { auditFailureDetail, ignoreAuditFailure } from '../../core/audit/index.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import type { VaultSettings, VaultSettingsPatch } from '../../core/vault/index.ts'

export type SettingsUpdate = VaultSettingsPatch & {
  /** The host of a new defaultApiBaseUrl that is not Apicbase's, confirmed by the person. Not stored. */
  readonly confirmedDefaultApiHost?: string
}

export type SettingsPorts = Pick<LarderCore, 'vault' | 'replan' | 'audit'>

export function readSettings(ports: SettingsPorts): VaultSettings {
  return ports.vault.settings()
}

export async function updateSettings(ports: SettingsPorts, update: SettingsUpdate): Promise<VaultSettings> {
  const { confirmedDefaultApiHost, ...patch } = update
  const before = ports.vault.settings()
  let settings: VaultSettings
  try {
    if (patch.defaultApiBaseUrl !== undefined) checkDefaultApiBaseUrlChange(before.defaultApiBaseUrl, patch.defaultApiBaseUrl, confirmedDefaultApiHost)
    settings = await ports.vault.updateSettings(patch)
  } catch (error) {
    record(ports, 'error', auditFailureDetail(error))
    throw error
  }
  ports.replan()
  const changes = describeChanges(before, settings)
  if (changes !== '') record(ports, 'ok', confirmedDefaultApiHost && before.defaultApiBaseUrl !== settings.defaultApiBaseUrl ? `${changes} (host ${confirmedDefaultApiHost} confirmed)` : changes)
  return settings
}

function record(ports: SettingsPorts, outcome: 'ok' | 'error', detail: string): void {
  ports.audit.append({ action: 'settings_changed', libraryId: null, libraryName: null, outcome, detail }).catch(ignoreAuditFailure)
}

/** "name: old → new" for every setting that changed (settings hold no secret). */
function describeChanges(before: VaultSettings, after: VaultSettings): string {
  const flat = (settings: VaultSettings): Map<string, string> => {
    const out = new Map<string, string>()
    for (const [key, value] of Object.entries(settings)) {
      if (typeof value === 'object' && value !== null) for (const [inner, v] of Object.entries(value)) out.set(`${key}.${inner}`, String(v))
      else out.set(key, String(value))
    }
    return out
  }
  const old = flat(before)
  return [...flat(after)].filter(([key, value]) => old.get(key) !== value).map(([key, value]) => `${key}: ${old.get(key) ?? '—'} → ${value}`).join('; ')
}
