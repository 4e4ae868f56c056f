import { describe, expect, it } from 'vitest'
import { EMPTY_DRAFT, fieldOfError, missingFields, toInput } from '../../../src/renderer/src/features/add-library/add-form.ts'
import { toAuditQuery, localInputToMs, csvFileName } from '../../../src/renderer/src/lib/audit-query.ts'
import { nextStep } from '../../../src/renderer/src/features/detail/next-step.ts'
import { draftFrom, patchFrom } from '../../../src/renderer/src/features/settings/settings-form.ts'
import { library } from './fixtures.ts'

describe('add-library form', () => {
  it('asks for every required field before calling Larder, the API base URL excepted', () => {
    expect(Object.keys(missingFields(EMPTY_DRAFT)).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'name', 'refreshToken'])
    expect(missingFields({ ...EMPTY_DRAFT, name: 'a', clientId: 'b', clientSecret: 'c', accessToken: 'd', refreshToken: 'e' })).toEqual({})
  })

  it('sends the values as pasted (Larder trims them) and the base URL only when given', () => {
    const draft = { ...EMPTY_DRAFT, name: ' Nord ', clientId: '"id"', clientSecret: 's', accessToken: 'Bearer a', refreshToken: 'r\n' }
    expect(toInput(draft)).toEqual({ tokenType: 'service_account', name: ' Nord ', clientId: '"id"', clientSecret: 's', accessToken: 'Bearer a', refreshToken: 'r\n' })
    expect(toInput({ ...draft, apiBaseUrl: '  https://x.test ' }).apiBaseUrl).toBe('https://x.test')
  })

  it('puts each error next to the field it is about', () => {
    expect(fieldOfError({ kind: 'invalid_input', field: 'clientSecret', message: 'm' })).toBe('clientSecret')
    expect(fieldOfError({ kind: 'invalid_input', field: 'input.refreshToken', message: 'm' })).toBe('refreshToken')
    expect(fieldOfError({ kind: 'api', apiKind: 'invalid_client', message: 'm' })).toBe('clientSecret')
    expect(fieldOfError({ kind: 'api', apiKind: 'invalid_grant', message: 'm' })).toBe('refreshToken')
    expect(fieldOfError({ kind: 'api', apiKind: 'malformed_response', message: 'm' })).toBe('apiBaseUrl')
    expect(fieldOfError({ kind: 'api', apiKind: 'network', message: 'm' })).toBeNull()
    expect(fieldOfError({ kind: 'internal', message: 'm' })).toBeNull()
  })
})

describe('settings form', () => {
  const settings = {
    expiringSoonMs: 48 * 3_600_000,
    refreshAheadMs: 24 * 3_600_000,
    copyFreshnessMarginMs: 600_000,
    clipboardClearMs: 30_000,
    notifications: { expiring: true, failed: false, needsReauth: true },
    defaultApiBaseUrl: 'https://api.apicbase.com'
  }

  it('shows durations in hours, minutes and seconds and sends them back in ms', () => {
    const draft = draftFrom(settings)
    expect(draft.durations).toEqual({ expiringSoonMs: '48', refreshAheadMs: '24', copyFreshnessMarginMs: '10', clipboardClearMs: '30' })
    expect(patchFrom(draft)).toEqual({ patch: { ...settings } })
    const decimal = patchFrom({ ...draft, durations: { ...draft.durations, refreshAheadMs: '0,5' } })
    expect('patch' in decimal && decimal.patch.refreshAheadMs).toBe(1_800_000)
  })

  it('refuses out-of-range or unreadable values, naming the field', () => {
    const draft = draftFrom(settings)
    const result = patchFrom({ ...draft, durations: { ...draft.durations, clipboardClearMs: '2', expiringSoonMs: 'soon' }, defaultApiBaseUrl: ' ' })
    expect('errors' in result && Object.keys(result.errors).sort()).toEqual(['clipboardClearMs', 'defaultApiBaseUrl', 'expiringSoonMs'])
  })
})

describe('audit filters', () => {
  it('turns the form into a query with only what was set', () => {
    expect(toAuditQuery({ libraryId: '', action: '', since: '', until: '' })).toEqual({})
    const since = localInputToMs('2026-11-25T09:00')
    const query = toAuditQuery({ libraryId: 'lib-1', action: 'refreshed', since: '2026-11-25T09:00', until: '2026-11-25T10:30' })
    expect(query).toEqual({ libraryId: 'lib-1', action: 'refreshed', since, until: (localInputToMs('2026-11-25T10:30') ?? 0) + 59_999 })
    expect(localInputToMs('not a date')).toBeUndefined()
  })

  it('names the export by date', () => {
    expect(csvFileName(new Date(2026, 10, 5, 9, 7))).toBe('larder-audit-2026-11-05-0907.csv')
  })
})

describe('next step for a library in trouble', () => {
  it('tells the person to ask the owner for a new token when re-authorization is needed', () => {
    const step = nextStep(library({ name: 'Nord', status: 'needs_reauth' }))
    expect(step?.title).toBe('Next step: ask the owner for a new token')
    expect(step?.text).toContain('Library Settings → API Settings')
  })

  it('explains each kind of error in words', () => {
    const at = Date.now()
    expect(nextStep(library({ status: 'error', lastError: { kind: 'invalid_client', message: 'm', at } }))?.title).toContain('client ID and secret')
    expect(nextStep(library({ status: 'error', lastError: { kind: 'rate_limited', message: 'm', at, retryAt: at + 1000 } }))?.tone).toBe('warning')
    expect(nextStep(library({ status: 'error', lastError: { kind: 'network', message: 'm', at, retryAt: at + 1000 } }))?.text).toContain('tries again on its own')
    expect(nextStep(library({ status: 'healthy' }))).toBeNull()
  })

  it('for a record changed outside Larder: says nothing is sent, to check the computer, and how to use it again', () => {
    const step = nextStep(library({ name: 'Nord', status: 'error', lastError: { kind: 'tampered', message: 'm', at: Date.now() } }))
    expect(step).toMatchObject({ tone: 'trouble', title: 'Larder sends nothing for this library: its record was changed outside Larder' })
    expect(step?.text).toContain('check this computer')
    expect(step?.text).toContain('remove it and add it again')
    expect(step?.text).not.toContain('Refresh now')
  })
})
