// A burst of refreshes in a team (what the team chaos run sees after a database restart or crash, when every timer
// that waited for the team fires at once): one member refreshes many families together, and every other member must
// hold each new pair within 2 s of its refresh (issue 16 item 6). Real PostgreSQL, real sandbox, one process.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import { systemClock } from '../../../src/main/core/time/clock.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { findPgBinaries, pgServerForSuite } from '../../support/postgres-server.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { makeTeam, within } from '../team/team-vault-support.ts'

const binaries = findPgBinaries()
const FAMILIES = 60

describe.skipIf(binaries.bin === null && !binaries.required)('team: a burst of refreshes reaches every member', { timeout: 120_000 }, () => {
  const server = pgServerForSuite(binaries)
  let sandbox: Sandbox
  let api: ApicbaseClient
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimitPerMinute: false })
    api = createApicbaseClient({})
  })
  afterAll(async () => {
    await api.close()
    await sandbox.close()
  })

  it(`${FAMILIES} families refreshed at once by one member: every member holds every new pair within 2 s`, async () => {
    const team = await makeTeam(server(), ['Ana', 'Bo', 'Cy', 'Dee', 'Eli'].slice(0, Number(process.env['BURST_MEMBERS'] ?? 5)), { pollMs: 60_000, offlinePollMs: 1_000 })
    const engine = new RefreshEngine({ vault: team.members[0]!.vault, client: { refresh: (...args) => api.refresh(...args) }, clock: systemClock, audit: { append: async () => undefined } })
    try {
      const [ana] = team.members
      if (ana === undefined) throw new Error('no members')
      const ids: string[] = []
      for (let i = 0; i < FAMILIES; i++) {
        const library = sandbox.addLibraryWithApplication({ name: `Burst Kitchen ${i}` })
        const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: sandbox.url, issuedAt: Date.now() })
        await ana.vault.add(meta, secrets)
        ids.push(meta.id)
      }
      await within(5_000, 'every member holds every family', () => team.members.every((m) => ids.every((id) => m.vault.get(id) !== undefined)))

      const refreshed = new Map<string, number>()
      const newest = new Map<string, string>()
      // How long after its refresh each member held each pair, watched (every 10 ms) while the refreshes go on, so the
      // time the burst itself takes is not counted against the first pairs.
      const seen = new Set<string>()
      let slowest = 0
      const watching = within(30_000, 'every member holds every new pair', async () => {
        for (const [m, member] of team.members.entries()) {
          for (const id of ids) {
            const token = newest.get(id)
            if (token === undefined || seen.has(`${m}:${id}`)) continue
            if ((await member.vault.secrets(id, ['refreshToken'])).refreshToken !== token) continue
            seen.add(`${m}:${id}`)
            slowest = Math.max(slowest, Date.now() - (refreshed.get(id) ?? 0))
          }
        }
        return seen.size === ids.length * team.members.length
      })
      await Promise.all(
        ids.map(async (id) => {
          await engine.refresh(id, 'manual')
          const token = (await ana.vault.secrets(id, ['refreshToken'])).refreshToken
          refreshed.set(id, Date.now())
          newest.set(id, token)
        })
      )
      await watching
      console.log(`${FAMILIES} families refreshed within ${Math.max(...refreshed.values()) - Math.min(...refreshed.values())} ms; the slowest pair reached a member ${slowest} ms after its refresh`)
      // Notifications that arrive while a take-in runs are read together and taken in as one batch (sync.ts), whose
      // local writes share one durable write (team-take-in.ts): before, each pair was read and made durable
      // alone, after the one before, and the last of 60 reached a member 3.2 s late under load on a shared 2-core machine.
      expect(slowest).toBeLessThanOrEqual(2_000)
      expect(seen.size).toBe(ids.length * team.members.length)
    } finally {
      engine.stop()
      await team.close()
    }
  })
})
