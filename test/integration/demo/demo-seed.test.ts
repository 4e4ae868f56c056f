// The demo's vault (issue 19 item 4): one library in each state, each reached through the app's own use cases against
// the sandbox (no state written into the vault by hand), and a library left out of the vault for a person to add.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoClock } from '../../../src/main/demo/clock.ts'
import { seedDemo, startDemoSandbox, type DemoWorld } from '../../../src/main/demo/seed.ts'
import type { Sandbox } from '../../../src/main/sandbox/index.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { DEMO_STATES } from '../../support/demo-states.ts'

let tmp: string
let sandbox: Sandbox
let assembled: AssembledCore
let world: DemoWorld

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-demo-seed-'))
  sandbox = await startDemoSandbox()
  const clock = createDemoClock()
  assembled = await assembleCore({ dataDir: tmp, sandboxUrl: sandbox.url, clock, scryptCost: FAST_SCRYPT, passphrase: 'a passphrase for the seed test' })
  world = await seedDemo({ actions: assembled.actions, sandbox, clock })
})

afterAll(async () => {
  await assembled?.close()
  await sandbox?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('the demo vault', () => {
  it('holds one library in each state a person meets, and healthy ones', () => {
    const statuses = assembled.actions.list().map((library) => [library.name, library.status])
    expect(Object.fromEntries(statuses)).toEqual(DEMO_STATES)
    // The report says the same, in the order it seeded them.
    expect(world.libraries.map((library) => [library.name, library.status]).sort()).toEqual([...statuses].sort())
  })

  it('each state is the real one: the failure recorded, the expiry inside the warning window', () => {
    const byName = new Map(assembled.actions.list().map((library) => [library.name, library]))
    expect(byName.get('Grill Haven')?.lastError).toMatchObject({ kind: 'server_error', status: 502 })
    expect(byName.get('Bakkerij Brug')?.lastError).toMatchObject({ kind: 'invalid_grant' })
    expect(byName.get('Pizzeria Dijk')?.tokenState).toBe('revoked')
    const expiring = byName.get('Trattoria Oost')
    const left = (expiring?.expiresAt ?? 0) - Date.now()
    expect(left).toBeGreaterThan(22 * 3_600_000)
    expect(left).toBeLessThan(24 * 3_600_000)
    expect(expiring?.lastError).toBeNull()
    // The healthy ones were added now, with a full week.
    expect((byName.get('Brasserie Nord')?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(6.9 * 24 * 3_600_000)
  })

  it('labels a customer’s libraries as the demo’s keys are labelled (seed-keys.ts), so the customer filter groups them', () => {
    const labels = Object.fromEntries(assembled.actions.list().map((library) => [library.name, library.customer ?? null]))
    expect(labels).toEqual({
      'Trattoria Oost': null,
      'Brasserie Nord': 'Bistro Nord',
      'Café Zuid': null,
      'Bistro West': 'Bistro Nord',
      'Grill Haven': 'Grill Haven',
      'Bakkerij Brug': null,
      'Pizzeria Dijk': null
    })
  })

  it('"Refresh now" brings the expiring library back to healthy: nothing about it is faked', async () => {
    const expiring = assembled.actions.list().find((library) => library.name === 'Trattoria Oost')
    expect((await assembled.actions.refresh(expiring?.id ?? '')).status).toBe('healthy')
  })

  it('leaves one library out of the vault, ready to add, and names the partner application', async () => {
    expect(assembled.actions.list().map((library) => library.name)).not.toContain(world.readyToAdd.name)
    const added = await assembled.actions.add({ ...world.readyToAdd, apiBaseUrl: sandbox.url })
    expect(added.status).toBe('healthy')
    expect(world.partner.clientId).toBe(sandbox.fixtures.partner.clientId)
    expect(world.personalUser).toEqual({ id: 501, name: 'Pat Partner', libraries: ['Brasserie Nord', 'Café Zuid', 'Trattoria Oost'] })
  })

  it('two demo sandboxes share no credential (a seed each)', async () => {
    const other = await startDemoSandbox()
    try {
      const secrets = (sb: Sandbox): string[] => sb.fixtures.libraries.flatMap((l) => [l.clientSecret, l.refreshToken])
      const mine = secrets(sandbox)
      expect(secrets(other).some((secret) => mine.includes(secret))).toBe(false)
      expect(other.adminUrl).toBeNull()
    } finally {
      await other.close()
    }
  })
})
