import { describe, expect, it } from 'vitest'
import { actionFailedNotice } from '../../../src/main/core/desktop/action-notice.ts'

const BISTRO = { id: 'lib-1', name: 'Bistro\nNoord' }

describe('a failed tray action, as a notification', () => {
  it('says what failed and why, in Larder words, for the library it was for', () => {
    expect(actionFailedNotice({ kind: 'copy', format: 'token' }, BISTRO, { kind: 'api', apiKind: 'invalid_grant' })).toEqual({
      type: 'action',
      libraryId: 'lib-1',
      title: 'Could not copy the token of Bistro Noord',
      body: 'The customer must issue a new token. Click to open it in Larder.',
      silent: false
    })
    expect(actionFailedNotice({ kind: 'copy', format: 'header' }, BISTRO, { kind: 'api', apiKind: 'library_drift' }).title).toBe(
      'Could not copy the Authorization header of Bistro Noord'
    )
    expect(actionFailedNotice({ kind: 'refresh' }, BISTRO, { kind: 'api', apiKind: 'rate_limited' })).toMatchObject({
      title: 'Could not refresh Bistro Noord',
      body: 'Apicbase is rate limiting; Larder will try again later. Click to open it in Larder.'
    })
  })

  it('never quotes the error message, and copes with a library Larder no longer has', () => {
    const refusal = { kind: 'api', apiKind: 'invalid_client', message: 'server said: secret=abc123' } as const
    expect(JSON.stringify(actionFailedNotice({ kind: 'refresh' }, BISTRO, refusal))).not.toContain('abc123')
    expect(actionFailedNotice({ kind: 'copy', format: 'token' }, null, { kind: 'invalid_input', field: 'id' })).toMatchObject({
      libraryId: null,
      title: 'Could not copy the token of a library',
      body: 'Larder no longer has this library. Click to open Larder.'
    })
    expect(actionFailedNotice({ kind: 'refresh' }, BISTRO, { kind: 'internal' }).body).toBe('Larder hit an unexpected problem. Click to open it in Larder.')
  })
})
