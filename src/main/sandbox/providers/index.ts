// Public surface of the provider fakes: loopback stand-ins for SafetyCulture's and Airtable's identity endpoints and
// for a generic service-token check URL, each its own server on 127.0.0.1 with its own control surface, counters and
// faults. `startProviderSandbox` starts all three on one clock (what a seeded development host wants); tests usually
// start just the fake they need.

import type { SandboxClock } from '../clock.ts'
import type { AirtableFake, AirtableFakeOptions } from './airtable.ts'
import { startAirtableFake } from './airtable.ts'
import type { CheckUrlFake, CheckUrlFakeOptions } from './check-url.ts'
import { startCheckUrlFake } from './check-url.ts'
import type { ProviderClockOptions } from './clock.ts'
import { createProviderClock } from './clock.ts'
import type { SafetyCultureFake, SafetyCultureFakeOptions } from './safetyculture.ts'
import { startSafetyCultureFake } from './safetyculture.ts'

type OwnClockless<T> = Omit<T, 'clock' | 'startTime' | 'frozen'>

export interface ProviderSandboxOptions extends ProviderClockOptions {
  safetyCulture?: OwnClockless<SafetyCultureFakeOptions>
  airtable?: OwnClockless<AirtableFakeOptions>
  checkUrl?: OwnClockless<CheckUrlFakeOptions>
}

export interface ProviderSandbox {
  /** The one clock all three fakes read. */
  readonly clock: SandboxClock
  readonly safetyCulture: SafetyCultureFake
  readonly airtable: AirtableFake
  readonly checkUrl: CheckUrlFake
  close(): Promise<void>
}

export async function startProviderSandbox(options: ProviderSandboxOptions = {}): Promise<ProviderSandbox> {
  const clock = createProviderClock(options)
  const started = await Promise.allSettled([
    startSafetyCultureFake({ ...options.safetyCulture, clock }),
    startAirtableFake({ ...options.airtable, clock }),
    startCheckUrlFake({ ...options.checkUrl, clock })
  ])
  const [sc, at, cu] = started
  if (sc.status === 'rejected' || at.status === 'rejected' || cu.status === 'rejected') {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)))
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    throw failed?.reason instanceof Error ? failed.reason : new Error('a provider fake failed to start')
  }
  return {
    clock,
    safetyCulture: sc.value,
    airtable: at.value,
    checkUrl: cu.value,
    async close() {
      await Promise.all([sc.value.close(), at.value.close(), cu.value.close()])
    }
  }
}

export { startAirtableFake, startCheckUrlFake, startSafetyCultureFake, createProviderClock }
export type { AirtableFake, AirtableFakeOptions, CheckUrlFake, CheckUrlFakeOptions, SafetyCultureFake, SafetyCultureFakeOptions }
export type { ProviderClockOptions } from './clock.ts'
export type { AddAirtableUser, AirtableRoute, CreateAirtableToken } from './airtable.ts'
export {
  AIRTABLE_BASES_PAGE_SIZE,
  AIRTABLE_BASES_PATH,
  AIRTABLE_RATE_LIMIT_PENALTY_MS,
  AIRTABLE_RATE_LIMIT_PER_SECOND,
  AIRTABLE_WHOAMI_PATH
} from './airtable.ts'
export { AIRTABLE_SCOPES } from './airtable-state.ts'
export type {
  AirtableBase,
  AirtableBaseGrant,
  AirtablePermissionLevel,
  AirtableScope,
  AirtableTokenInfo,
  AirtableUser,
  IssuedAirtableToken
} from './airtable-state.ts'
export type { CheckUrlRoute } from './check-url.ts'
export type { CreateServiceToken, ServiceTokenInfo, ServiceTokenStatus, ServiceUser, TokenCarrier } from './check-url-state.ts'
export type { AddSafetyCultureUser, SafetyCultureRoute } from './safetyculture.ts'
export { SAFETYCULTURE_WHOAMI_PATH } from './safetyculture.ts'
export {
  SAFETYCULTURE_INACTIVITY_MS,
  SAFETYCULTURE_MAX_ACTIVE_SERVICE_TOKENS_PER_ORGANISATION,
  SAFETYCULTURE_MAX_ACTIVE_TOKENS_PER_USER
} from './safetyculture-state.ts'
export type {
  IssuedSafetyCultureToken,
  SafetyCultureOrganisation,
  SafetyCulturePerson,
  SafetyCultureTokenInfo,
  SafetyCultureTokenKind,
  SafetyCultureTokenStatus
} from './safetyculture-state.ts'
export type { ProviderCounters, ProviderHit, ProviderHitFilter } from './counters.ts'
export type { ActiveProviderFault, ProviderFaultKind, ProviderFaultSpec, ProviderFaults } from './faults.ts'
export { PROVIDER_BODY_LIMIT_BYTES } from './server.ts'
export { SandboxError } from '../model.ts'
export { DAY_MS } from './common.ts'
