// The members' data folders of the team-agents chaos run, joined the way the app joins them (team-membership.ts):
// each folder a vault.json with the chaos passphrase, the first member's holding the credentials; the first makes the
// team on a fresh database of the run's PostgreSQL, each other asks to join, the first approves its code and it
// comes in. What the folders then hold (vault.json + vault.json.team, the sealed membership) is what `larder agent`
// finds on its own and opens in team mode. The credentials reach the team when the first member is first online
// (what a machine held before it joined is shared once).
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { approveJoin } from '../../../src/main/core/team/membership.ts'
import { askToJoin, finishJoining, startTeam, type TeamPlace } from '../../../src/main/core/team/team-membership.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import type { Sandbox } from '../../sandbox/index.ts'
import type { PgServer } from '../../support/postgres-server.ts'
import { createTeamDatabase } from '../../support/team-db.ts'
import type { Ledger } from '../ledger.ts'
import { createPassphraseCipher, openVault } from '../../../src/main/core/vault/index.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { FAST_SCRYPT, PASSPHRASE, START_TIME } from '../run-settings.ts'
import { secretFingerprint } from '../secret-scan.ts'
import { openVaultIn, VAULT_FILE, vaultStore } from '../vault-files.ts'

export interface JoinedFolders {
  readonly dirs: readonly string[]
  /** A pool of the run's own on the team database (the table scan at the end). */
  readonly db: TeamDb
  /** The schema's name as the team file holds it. */
  readonly schema: string
  close(): Promise<void>
}

let databases = 0

export async function joinFolders(setup: {
  readonly server: PgServer
  readonly sandbox: Sandbox
  readonly members: number
  readonly credentials: number
  readonly rng: () => number
  readonly ledger: Ledger
  /** The access tokens' lifetime (the sandbox's too). */
  readonly lifetimeMs: number
}): Promise<JoinedFolders> {
  databases += 1
  const { url, db } = await createTeamDatabase(setup.server, `teamagents${databases}_${process.pid}`)
  const place: TeamPlace = { database: { url }, schema: 'larder' }
  const dirs: string[] = []
  try {
    let first: Awaited<ReturnType<typeof startTeam>> | null = null
    for (let index = 0; index < setup.members; index++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-team-agent-${index}-`))
      dirs.push(dir)
      // The first member's vault holds the credentials; the others start empty and take them from the team.
      await prepareMember(dir, setup, index === 0 ? setup.credentials : 0)
      const vault = await openVaultIn(dir, PASSPHRASE)
      try {
        if (first === null) {
          first = await startTeam(vault, db, place, `Agent ${index}`)
          continue
        }
        const { code } = await askToJoin(vault, db, place, `Agent ${index}`)
        await approveJoin(db, first, code)
        if ((await finishJoining(vault, db)) === null) throw new Error(`member ${index} was not let in`)
      } finally {
        await vault.close()
      }
    }
  } catch (error) {
    await db.pool.end().catch(() => undefined)
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    dirs,
    db,
    schema: place.schema,
    close: async () => {
      await db.pool.end().catch(() => undefined)
    }
  }
}

/**
 * As prepare-vault.ts, with the ids a team row takes (UUIDs): one sandbox library per credential, each issued at a
 * spread-out moment of its lifetime so far; the ledger tracks it and the secret scan learns its secrets.
 */
async function prepareMember(dir: string, setup: { readonly sandbox: Sandbox; readonly rng: () => number; readonly ledger: Ledger; readonly lifetimeMs: number }, credentials: number): Promise<void> {
  const { sandbox, ledger } = setup
  const { cipher } = await createPassphraseCipher(PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const vault = await openVault({ path: path.join(dir, VAULT_FILE), openStore: vaultStore(dir), cipher, now: () => START_TIME })
  try {
    for (let i = 1; i <= credentials; i++) {
      const library = sandbox.addLibraryWithApplication({ name: `Team Agents Kitchen ${i}` })
      const id = randomUUID()
      const issuedAt = START_TIME - Math.floor(setup.rng() * 0.9 * setup.lifetimeMs)
      const record = sandboxLibraryRecord(library, { id, apiBaseUrl: sandbox.url, issuedAt, lifetimeMs: setup.lifetimeMs })
      await vault.add(record.meta, record.secrets)
      for (const secret of [library.clientSecret, library.accessToken, library.refreshToken]) {
        if (!ledger.secrets.addSecret(secret)) ledger.problem(`a secret of ${id} is not alphanumeric: the scan cannot look for it`)
      }
      ledger.track({ id, sandboxLibraryId: library.id, clientId: library.clientId, scopes: library.scopes, family: library.familyId, refreshTokenFingerprint: secretFingerprint(library.refreshToken) })
    }
  } finally {
    await vault.close()
  }
}
