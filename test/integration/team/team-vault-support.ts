// Members of one team for the team vault's tests (issue 16, step 5): a database migrated on the suite's PostgreSQL,
// a team made by the first member and joined by the others (each approved by code), and for each member a real local
// vault in its own temp folder (passphrase cipher, conf store, as the app opens one) wrapped in a TeamVault over its
// own link, whose listening session is named `larder-listen-<member>` so a test can cut it.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import type { LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../../../src/main/core/model.ts'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import { teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'
import { schemaName } from '../../../src/main/core/team/db/migrations.ts'
import { TeamLink } from '../../../src/main/core/team/db/team-link.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import type { NewMember, TeamSession } from '../../../src/main/core/team/membership.ts'
import { teamChannel } from '../../../src/main/core/team/row-writes.ts'
import { openTeamVault, type TeamVault, type TeamVaultOptions } from '../../../src/main/core/team/team-vault.ts'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { createPassphraseCipher, type Vault } from '../../../src/main/core/vault/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { openLocalVault } from '../../support/local-vault.ts'
import type { PgServer } from '../../support/postgres-server.ts'
import { createTeamDatabase, joinedSessions } from '../../support/team-db.ts'

export const SCHEMA = schemaName('larder')

export interface Member {
  readonly name: string
  readonly session: TeamSession
  readonly dir: string
  readonly cipher: Cipher
  /** The listening session's application_name (server.terminate cuts it). */
  readonly listenName: string
  vault: TeamVault
}

export interface Team {
  readonly url: string
  /** A pool of the test's own, for SQL by hand. */
  readonly db: TeamDb
  readonly members: Member[]
  /** Opens a member's team vault again (or the first time) from its folder. */
  open(member: Member, options?: Partial<Pick<TeamVaultOptions, 'sync'>> & { readonly retryMs?: { first: number; max: number }; readonly url?: string }): Promise<TeamVault>
  close(): Promise<void>
}

let databases = 0

export async function makeTeam(server: PgServer, names: readonly string[], sync: TeamVaultOptions['sync'] = { pollMs: 60_000, offlinePollMs: 60_000 }): Promise<Team> {
  databases += 1
  const { url, db } = await createTeamDatabase(server, `teamvault${databases}_${process.pid}`)
  const sessions = await joinedSessions(db, names.map((name): NewMember => ({ id: randomUUID(), label: `${name}'s laptop`, keys: newMemberKeys() })))

  const members: Member[] = []
  const opened = new Set<TeamVault>()
  const dirs: string[] = []
  const open: Team['open'] = async (member, options = {}) => {
    const local = await openLocalVault(member.dir, member.cipher)
    const link = new TeamLink({
      connection: teamConnectionOptions({ url: options.url ?? url }, member.listenName),
      channel: teamChannel(member.session.teamId),
      retryMs: options.retryMs ?? { first: 100, max: 500 },
      heartbeatMs: 500
    })
    const vault = await openTeamVault({ local, link, schema: SCHEMA, session: member.session, sync: options.sync ?? sync })
    opened.add(vault)
    member.vault = vault
    return vault
  }
  for (const [index, name] of names.entries()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-team-${name.toLowerCase()}-`))
    dirs.push(dir)
    const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
    const member = { name, session: sessions[index] as TeamSession, dir, cipher, listenName: `larder-listen-${name.toLowerCase()}-${databases}`, vault: null as unknown as TeamVault }
    members.push(member)
    await open(member)
  }
  for (const member of members) await member.vault.syncNow()
  return {
    url,
    db,
    members,
    open: async (member, options) => {
      opened.delete(member.vault)
      return open(member, options)
    },
    close: async () => {
      for (const vault of opened) await vault.close().catch(() => undefined)
      await db.pool.end()
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * Call inside a describe block: makeTeam for its tests, each team closed after its test once `first` ran (stopping the
 * refresh engines over its vaults, say).
 */
export function teamsPerTest(first: () => void | Promise<void> = () => undefined): typeof makeTeam {
  const made: Team[] = []
  afterEach(async () => {
    await first()
    for (const team of made.splice(0)) await team.close()
  })
  return async (...args) => {
    const team = await makeTeam(...args)
    made.push(team)
    return team
  }
}

/** What must never be readable in the database: each test's values are unique, so a scan finds exactly these. */
export function libraryFor(label: string, overrides: Partial<LibraryMeta> = {}): { meta: LibraryMeta; secrets: LibrarySecrets } {
  const unique = Math.random().toString(36).slice(2, 10)
  const issuedAt = Date.now()
  return {
    meta: {
      id: randomUUID(),
      name: `${label} Centrum ${unique}`,
      customer: `${label} Group ${unique}`,
      apicbaseLibraryId: `apicbase-lib-${unique}`,
      apicbaseLibraryName: null,
      tokenType: 'personal',
      scopes: ['library'],
      apiBaseUrl: `https://api-${unique}.apicbase.example`,
      clientId: `client-id-${unique}`,
      addedAt: issuedAt,
      issuedAt,
      expiresAt: issuedAt + 7 * 86_400_000,
      lastRefreshedAt: null,
      lastUsedAt: null,
      lastError: null,
      tokenState: 'active',
      tokenPreview: '…',
      ...overrides
    },
    secrets: { clientSecret: `client-secret-${unique}`, accessToken: `access-token-${unique}`, refreshToken: `refresh-token-${unique}` }
  }
}

export function entryFor(connectionId: string, label: string): PersonalEntryMeta {
  const unique = Math.random().toString(36).slice(2, 10)
  return { id: randomUUID(), name: `${label} Vestiging ${unique}`, connectionId, apicbaseLibraryId: `apicbase-entry-${unique}`, apicbaseLibraryName: `${label} Library ${unique}`, addedAt: Date.now(), lastUsedAt: null }
}

/** Polls `check` until it holds; resolves with the milliseconds it took, rejects after `ms`. */
export async function within(ms: number, what: string, check: () => boolean | Promise<boolean>): Promise<number> {
  const start = performance.now()
  for (;;) {
    if (await check()) return performance.now() - start
    if (performance.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export type { Vault }
