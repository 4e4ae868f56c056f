// The core hands the engine its vault wrapped in ObservedVault (core/observed-vault.ts). A team vault's refresh-turn
// port must reach the engine through that wrapper, and a local vault's absence of one must stay an absence: the
// engine treats a vault with the port as shared with other machines.
import { describe, expect, it } from 'vitest'
import type { RefreshTurn } from '../../../src/main/core/engine/ports.ts'
import { ObservedVault, type VaultChanges } from '../../../src/main/core/observed-vault.ts'
import type { Vault } from '../../../src/main/core/vault/index.ts'
import { newCipher, open, tempDir, trackVault } from '../vault/fixtures.ts'

const quiet: VaultChanges = { changed: () => undefined, removed: () => undefined, settings: () => undefined, keyChanged: () => undefined, keyRemoved: () => undefined }

describe('the refresh turn through the observed vault', () => {
  it('a local vault: no port on the wrapper', async () => {
    const observed = new ObservedVault(trackVault(await open(tempDir(), await newCipher())), quiet)
    expect('refreshTurn' in observed && observed.refreshTurn !== undefined).toBe(false)
    expect(observed.refreshOffset).toBeUndefined()
  })

  it('a vault with the port: the wrapper forwards both, bound to the vault', async () => {
    const local = trackVault(await open(tempDir(), await newCipher()))
    const asked: string[] = []
    const turn: RefreshTurn = { kind: 'offline', since: 42 }
    const shared = Object.assign(Object.create(local) as Vault, {
      marker: 'team',
      async refreshTurn(this: { marker: string }, id: string): Promise<RefreshTurn> {
        asked.push(`${this.marker}:${id}`)
        return turn
      },
      refreshOffset(this: { marker: string }, id: string): number {
        return this.marker === 'team' && id === 'a' ? 90_000 : 0
      }
    })
    const observed = new ObservedVault(shared, quiet)
    expect(await observed.refreshTurn?.('a')).toBe(turn)
    expect(asked).toEqual(['team:a'])
    expect(observed.refreshOffset?.('a')).toBe(90_000)
  })
})
