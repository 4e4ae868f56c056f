// Issue 13, item 14: a copy checks the token at Apicbase first (one cheap read) when its last health check is more
// than an hour old, so a token revoked there is found before a script gets it.
import { afterEach, describe, expect, it } from 'vitest'
import { copyToken, type CopyTokenPorts } from '../../../src/main/app/use-cases/copy-token.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startHealthHarness, type HealthHarness } from '../../support/health-harness.ts'

const MINUTE = 60_000

let h: HealthHarness
afterEach(async () => {
  await h?.close()
})

function ports(copied: string[]): CopyTokenPorts {
  const { vault, libraries, personal, engine, health, audit, clock } = h.core
  return { vault, libraries, personal, engine, health, audit, clock, sink: { copySecret: (text) => (copied.push(text), { clearsAt: null }) } }
}

async function added(): Promise<{ id: string; lib: LibraryCredentials }> {
  const lib = h.sandbox.addLibraryWithApplication({ name: 'Brasserie Kopie' })
  return { id: await h.add(lib), lib }
}

describe('a copy checks first when the last check is older than an hour', () => {
  it('checks once before the first copy, not again within the hour, and once more after it', async () => {
    h = await startHealthHarness({ core: { health: { scheduled: false } } })
    const { id } = await added()
    const copied: string[] = []
    await copyToken(ports(copied), id, 'token')
    expect(h.checkTimes(id)).toHaveLength(1)
    expect(h.view(id).health).toMatchObject({ outcome: 'ok', checkedAt: h.clock.now() })
    await h.advance(59 * MINUTE)
    await copyToken(ports(copied), id, 'header')
    expect(h.checkTimes(id)).toHaveLength(1)
    await h.advance(2 * MINUTE)
    await copyToken(ports(copied), id, 'env')
    expect(h.checkTimes(id)).toHaveLength(2)
    expect(copied).toHaveLength(3)
  })

  it('a token revoked at Apicbase is found before the copy: nothing is copied, and the library says why', async () => {
    h = await startHealthHarness({ core: { health: { scheduled: false } } })
    const { id, lib } = await added()
    const token = (await h.core.vault.secrets(id, ['refreshToken'])).refreshToken
    const answer = await fetch(`${h.sandbox.url}/oauth/revoke_token/`, {
      method: 'POST',
      body: new URLSearchParams({ token, client_id: lib.clientId, client_secret: lib.clientSecret })
    })
    await answer.body?.cancel()
    const copied: string[] = []
    await expect(copyToken(ports(copied), id, 'token')).rejects.toThrow(/Ask the owner of Brasserie Kopie for a new token/)
    expect(copied).toEqual([])
    expect(h.view(id)).toMatchObject({ status: 'needs_reauth', health: { outcome: 'unauthorized' } })
  })
})
