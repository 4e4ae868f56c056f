// One refresher per family across a team (issue 16, plan §4), against a real PostgreSQL and the real sandbox: three
// members' refresh engines, each over its own team vault, asked for fresh tokens of the same families at once; the
// sandbox counts one token request per family and never two in flight, and every member ends holding the newest pair.
// Then the crash cases of the plan's table: an answer durable on one machine but not yet in the row reaches the row
// when that machine comes back (the others wait meanwhile), and a mark without an answer is cleared at release.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { Vault } from '../../../src/main/core/vault/index.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { sandboxForSuite, type SandboxSuite } from '../../support/sandbox-suite.ts'
import { teamsPerTest, within, type makeTeam, type Member, type Team } from './team-vault-support.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let apicbase: SandboxSuite

const engineOf = (member: Member): RefreshEngine => apicbase.engine(member.vault)

async function shared(member: Member, count: number): Promise<{ ids: string[]; credentials: LibraryCredentials[] }> {
  const ids: string[] = []
  const credentials: LibraryCredentials[] = []
  for (let i = 0; i < count; i++) {
    const library = apicbase.sandbox.addLibraryWithApplication({ name: `Team Kitchen ${i}` })
    const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: apicbase.sandbox.url, issuedAt: Date.now() })
    await member.vault.add(meta, secrets)
    ids.push(meta.id)
    credentials.push(library)
  }
  return { ids, credentials }
}

/** Ana and Bo on a new team, with `count` of Ana's credentials shared and held by Bo too. */
async function anaAndBo(newTeam: typeof makeTeam, count: number): Promise<{ team: Team; ana: Member; bo: Member; ids: string[] }> {
  const team = await newTeam(running(), ['Ana', 'Bo'])
  const [ana, bo] = team.members
  if (!ana || !bo) throw new Error('no members')
  const { ids } = await shared(ana, count)
  await within(2_000, 'Bo holds them', () => ids.every((id) => bo.vault.get(id) !== undefined))
  return { team, ana, bo, ids }
}

const localOf = (member: Member): Vault => (member.vault as unknown as { readonly local: Vault }).local

describe.skipIf(binaries.bin === null)('one refresher per family across the team', { timeout: 120_000 }, () => {
  running = pgServerForSuite(binaries)
  apicbase = sandboxForSuite()
  const newTeam = teamsPerTest(() => apicbase.stopEngines())

  it('three members refreshing 12 families at once: one request each, never two in flight, the same newest pair everywhere', async () => {
    const team = await newTeam(running(), ['Ana', 'Bo', 'Cy'])
    const members = team.members
    const [ana] = members
    if (!ana) throw new Error('no members')
    const { ids, credentials } = await shared(ana, 12)
    await within(2_000, 'every member holds every family', () => members.every((m) => ids.every((id) => m.vault.get(id) !== undefined)))
    const before = new Map(credentials.map((c) => [c.familyId, apicbase.sandbox.counters.tokenRequestsByFamily(c.familyId)]))

    const all = members.map(engineOf)
    const tokens = await Promise.all(all.flatMap((engine) => ids.map((id) => engine.refresh(id, 'manual').catch((error: unknown) => `failed: ${String(error)}`))))
    for (const c of credentials) {
      expect(apicbase.sandbox.counters.tokenRequestsByFamily(c.familyId) - (before.get(c.familyId) ?? 0), c.name).toBe(1)
      expect(apicbase.sandbox.counters.maxConcurrentRefreshesByFamily(c.familyId), c.name).toBe(1)
    }
    // The newest pair reaches every member within 2 s of the refresh.
    await within(2_000, 'every member holds the newest pair', async () => {
      for (const id of ids) {
        const held = await Promise.all(members.map(async (m) => (await m.vault.secrets(id, ['refreshToken'])).refreshToken))
        if (new Set(held).size !== 1) return false
      }
      return true
    })
    // What each member handed out is the access token of that newest pair (or, for a member that waited, the same).
    for (const [index, id] of ids.entries()) {
      const newest = (await ana.vault.secrets(id, ['accessToken'])).accessToken
      for (let m = 0; m < members.length; m++) expect(tokens[m * ids.length + index], `member ${m}, family ${index}`).toBe(newest)
    }
  })

  it('an answer durable on one machine but not in the row reaches the row when that machine is back; the others wait for it', async () => {
    const team = await newTeam(running(), ['Ana', 'Bo'])
    const [ana, bo] = team.members
    if (!ana || !bo) throw new Error('no members')
    const { ids, credentials } = await shared(ana, 1)
    const id = ids[0] as string
    await within(2_000, 'Bo holds it', () => bo.vault.get(id) !== undefined)

    // Ana takes the turn, sends the refresh token, makes the answer durable here, and "crashes" before the row write.
    const turn = await ana.vault.refreshTurn(id)
    expect(turn.kind).toBe('mine')
    if (turn.kind !== 'mine') return
    await turn.sending()
    const meta = ana.vault.get(id)
    const sent = (await ana.vault.secrets(id)).refreshToken
    const secrets = await ana.vault.secrets(id)
    const answer = await apicbase.api.refresh({ baseUrl: apicbase.sandbox.url, libraryName: meta?.name ?? '', rateKey: id }, { clientId: meta?.clientId ?? '', clientSecret: secrets.clientSecret }, sent)
    const pair = { accessToken: answer.accessToken, refreshToken: answer.refreshToken, issuedAt: Date.now(), expiresAt: Date.now() + (answer.expiresInSeconds ?? 0) * 1000, scopes: [...answer.scopes] }
    await localOf(ana).commitRotation(id, { sentRefreshToken: sent, pair })
    await ana.vault.close()

    // Bo may not send meanwhile: the family awaits Ana's answer.
    const bosTurn = await bo.vault.refreshTurn(id)
    expect(bosTurn.kind).toBe('elsewhere')
    const requests = apicbase.sandbox.counters.tokenRequestsByFamily(credentials[0]?.familyId ?? '')

    // Ana back: the answer goes to the row, and Bo takes it in.
    await team.open(ana)
    await within(2_000, 'Bo holds the pair Ana got', async () => (await bo.vault.secrets(id, ['refreshToken'])).refreshToken === answer.refreshToken)
    expect(apicbase.sandbox.counters.tokenRequestsByFamily(credentials[0]?.familyId ?? '')).toBe(requests)
    // And Bo may refresh it from now on.
    const next = engineOf(bo)
    await next.refresh(id, 'manual')
    expect((await bo.vault.secrets(id, ['refreshToken'])).refreshToken).not.toBe(answer.refreshToken)
  })

  it('a turn that ends without an answer clears its mark: another member may send next', async () => {
    const { ana, bo, ids } = await anaAndBo(newTeam, 1)
    const id = ids[0] as string
    const turn = await ana.vault.refreshTurn(id)
    if (turn.kind !== 'mine') throw new Error(`Ana's turn: ${turn.kind}`)
    await turn.sending()
    await turn.release()
    await engineOf(bo).refresh(id, 'manual')
    await within(2_000, 'Ana holds Bo’s pair', async () => (await ana.vault.secrets(id, ['refreshToken'])).refreshToken === (await bo.vault.secrets(id, ['refreshToken'])).refreshToken)
  })

  it('a turn given back without a pair wakes the member waiting for that family at once, not when the lease would have run out', async () => {
    const { ana, bo, ids } = await anaAndBo(newTeam, 1)
    const id = ids[0] as string
    const turn = await ana.vault.refreshTurn(id)
    if (turn.kind !== 'mine') throw new Error(`Ana's turn: ${turn.kind}`)
    const waiting = await bo.vault.refreshTurn(id)
    if (waiting.kind !== 'elsewhere') throw new Error(`Bo's turn: ${waiting.kind}`)
    let woken = false
    void waiting.settled.then(() => (woken = true))
    await turn.release()
    // The lease's term is 30 s: only the NOTIFY of the freed family wakes Bo this soon.
    await within(2_000, 'Bo is woken', () => woken)
    expect((await bo.vault.refreshTurn(id)).kind).toBe('mine')
  })

  it('a member that crashed holding a lease frees it when it is back, and the member waiting for that family asks again at once', async () => {
    const { team, ana, bo, ids } = await anaAndBo(newTeam, 2)
    // Ana takes both turns and "crashes": her vault closes without giving them back (close frees nothing).
    for (const id of ids) expect((await ana.vault.refreshTurn(id)).kind).toBe('mine')
    await ana.vault.close()
    const waits = await Promise.all(ids.map((id) => bo.vault.refreshTurn(id)))
    let woken = 0
    for (const wait of waits) {
      if (wait.kind !== 'elsewhere') throw new Error(`Bo's turn: ${wait.kind}`)
      void wait.settled.then(() => woken++)
    }
    // Ana back on the same folder: no attempt of hers holds those leases, so they are freed and Bo is told.
    await team.open(ana)
    await within(3_000, 'Bo is woken for both families', () => woken === ids.length)
    for (const id of ids) expect((await bo.vault.refreshTurn(id)).kind).toBe('mine')
  })
})
