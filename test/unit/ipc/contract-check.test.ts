// The contract checker the harnesses and the browser host wrap the app with: it must catch an answer or an event
// that strays from the contract, a stray secret field above all, or the "every answer is checked" claim is empty.
import { describe, expect, it } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { checkEvent, checkResult, ContractViolation } from '../../support/contract-check.ts'

const view: LibraryView = {
  id: 'lib-1',
  name: 'Café Zuid',
  apicbaseLibraryId: '1002',
  apicbaseLibraryName: 'Café Zuid',
  tokenType: 'service_account',
  scopes: ['library'],
  apiBaseUrl: 'https://api.apicbase.com',
  apiHost: 'api.apicbase.com',
  apiHostKind: 'apicbase',
  clientId: 'client-1',
  addedAt: 1,
  issuedAt: 1,
  expiresAt: 2,
  lastRefreshedAt: null,
  lastUsedAt: null,
  lastError: null,
  tokenPreview: '…a91f',
  status: 'healthy'
}

/** The list's row of the same library. */
const row = listViewOf(view)

describe('the contract checker', () => {
  it('passes answers and events that are the contract', () => {
    expect(() => checkResult('libraries.list', { ok: true, value: [row] })).not.toThrow()
    expect(() => checkResult('libraries.get', { ok: true, value: view })).not.toThrow()
    expect(() => checkResult('libraries.refresh', { ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: 'Ask the owner' } })).not.toThrow()
    expect(() => checkEvent('library.changed', row)).not.toThrow()
  })

  it('fails a list row or a row event carrying the whole view (the list is rows only)', () => {
    expect(() => checkResult('libraries.list', { ok: true, value: [view] })).toThrow(/tokenPreview|Unrecognized key/)
    expect(() => checkEvent('library.changed', view)).toThrow(/tokenPreview|Unrecognized key/)
  })

  it('fails an answer or an event carrying a field the contract does not have (a secret, say)', () => {
    const leaking = { ...row, refreshToken: 'rt-secret' }
    expect(() => checkResult('libraries.list', { ok: true, value: [leaking] })).toThrow(ContractViolation)
    expect(() => checkEvent('library.changed', leaking)).toThrow(/refreshToken|Unrecognized key/)
    expect(() => checkResult('libraries.get', { ok: true, value: { ...view, refreshToken: 'rt-secret' } })).toThrow(ContractViolation)
    expect(() => checkResult('libraries.copy', { ok: true, value: { libraryId: 'lib-1', format: 'token', preview: '…', clearsAt: null, token: 'at-secret' } })).toThrow(ContractViolation)
  })

  it('fails a wrong shape, a wrong word and a refusal of the wrong kind', () => {
    expect(() => checkResult('libraries.refresh', { ok: true, value: { ...view, status: 'fine' } })).toThrow(/status/)
    expect(() => checkResult('vault.state', { ok: true, value: { state: 'open' } })).toThrow(ContractViolation)
    expect(() => checkResult('libraries.add', { ok: false, error: { kind: 'oops', message: 'x' } })).toThrow(/refused outside the contract/)
    expect(() => checkResult('app.info', 'not a result')).toThrow(/not a call result/)
  })
})
