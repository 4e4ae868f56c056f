// The demo's keys of other systems: one in each state a person meets, each reached through the key service against
// the provider fakes (nothing written into the vault by hand), and each state the real one at its system.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoClock } from '../../../src/main/demo/clock.ts'
import { seedKeys, type SeededKey } from '../../../src/main/demo/seed-keys.ts'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

let tmp: string
let fakes: ProviderSandbox
let assembled: AssembledCore
let seeded: SeededKey[]

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-seed-keys-'))
  fakes = await startProviderSandbox()
  const clock = createDemoClock()
  assembled = await assembleCore({ dataDir: tmp, sandboxUrl: 'http://127.0.0.1:9', clock, scryptCost: FAST_SCRYPT, passphrase: 'a passphrase for the key seed test' })
  seeded = await seedKeys({ keys: assembled.core.keys, fakes, clock })
})

afterAll(async () => {
  await assembled?.close()
  await fakes?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('the demo keys', () => {
  it('holds a key in each state a person meets', () => {
    expect(Object.fromEntries(seeded.map((key) => [key.name, key.status]))).toEqual({
      'Grill Haven audits': 'expiring_soon',
      'Grill Haven inspections': 'healthy',
      'Grill Haven sync': 'healthy',
      'Tracking base': 'healthy',
      'Reports base': 'needs_reauth',
      'Platform sync (production)': 'expiring_soon',
      'Platform sync (staging)': 'revoked'
    })
    const vault = assembled.core.vault
    expect(vault.keys().map((key) => [key.name, assembled.core.keys.status(key)]).sort()).toEqual(seeded.map((key) => [key.name, key.status]).sort())
  })

  it('each state is the real one: checked at its system, 25 days unused, revoked with its date', () => {
    const byName = new Map(assembled.core.vault.keys().map((key) => [key.name, key]))
    expect(byName.get('Grill Haven inspections')?.lastCheck).toMatchObject({ outcome: 'ok', identity: { who: 'Pat Jansen' } })
    const unused = byName.get('Grill Haven audits')
    expect(Date.now() - (unused?.lastUsedAt ?? 0)).toBeGreaterThan(24.9 * 86_400_000)
    expect(byName.get('Reports base')?.lastCheck?.outcome).toBe('refused')
    expect(byName.get('Platform sync (staging)')?.history.map((item) => item.event)).toEqual(['added', 'revoked'])
  })
})
