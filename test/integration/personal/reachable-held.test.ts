// The libraries a personal token reaches say which are already in Larder before anything is added through the token
// (issue 19 item 11): a service-account record of the same Apicbase library (on the same API host) is named with its
// token type, and this token's own entries keep their entry id.
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, CallResults } from '../../../src/shared/contract.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { connectPat, NORD, OOST, ZUID } from './personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function value<N extends CallName>(result: CallResult<N>): CallResults[N] {
  if (!result.ok) throw new Error(`refused: ${result.error.message}`)
  return result.value
}

describe('the reachable list and libraries already in Larder', () => {
  it('marks a library held as a service-account record before it is added through the personal token', async () => {
    h = await startLarder()
    const oost = h.sandbox.fixtures.libraries.find((library) => String(library.id) === OOST)
    if (!oost) throw new Error('no Trattoria Oost in the sandbox')
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = oost
    const held = await h.actions.add({ tokenType, name: 'Oost kitchen', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    expect(held.apicbaseLibraryId).toBe(OOST)

    const connection = await connectPat(h)
    const first = value(await h.handlers['personal.libraries']({ connectionId: connection.id }))
    const byId = (id: string) => first.libraries.find((library) => library.apicbaseLibraryId === id)
    expect(byId(OOST)).toMatchObject({ entryId: null, heldBy: [{ id: held.id, name: 'Oost kitchen', tokenType: 'service_account', connectionName: null }] })
    expect(byId(NORD)?.heldBy ?? []).toEqual([])
    expect(byId(ZUID)?.heldBy ?? []).toEqual([])

    // Added through the token: its own entry, and the service-account record still named beside it.
    const [entry] = await h.actions.addPersonalLibraries(connection.id, [OOST])
    const after = value(await h.handlers['personal.libraries']({ connectionId: connection.id }))
    expect(after.libraries.find((library) => library.apicbaseLibraryId === OOST)).toMatchObject({
      entryId: entry?.id,
      heldBy: [{ id: held.id, name: 'Oost kitchen', tokenType: 'service_account', connectionName: null }]
    })
  })
})
