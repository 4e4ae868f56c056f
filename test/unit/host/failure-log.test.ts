// Every failed call is logged by the host's log port: the call's name, the error's kind and class name (and for an
// unexpected error, where it happened), never its message and never what was sent. The page's "details are in
// the log" is true only if this holds.
import { describe, expect, it } from 'vitest'
import type { Actions } from '../../../src/main/app/actions.ts'
import { createHandlers, type ActionSource } from '../../../src/main/app/handlers.ts'
import type { LogFields, LogLevel } from '../../../src/main/app/ports.ts'
import { ApiError } from '../../../src/main/core/errors.ts'

const SECRET = 'sk_live_do-not-log-me-0123456789'
const INPUT = {
  tokenType: 'service_account',
  name: 'Brasserie Nord',
  clientId: 'client-id-in-the-input',
  clientSecret: `client-${SECRET}`,
  accessToken: `access-${SECRET}`,
  refreshToken: `refresh-${SECRET}`
}

interface Logged {
  readonly level: LogLevel
  readonly event: string
  readonly fields: LogFields
}

function handlersThat(add: Actions['add']): { handlers: ReturnType<typeof createHandlers>; logged: Logged[] } {
  const logged: Logged[] = []
  const source: ActionSource = {
    actions: () => ({ add }) as unknown as Actions,
    state: () => ({ state: 'open', cipher: 'passphrase' }),
    unlock: () => Promise.reject(new Error('not used')),
    restoreBackup: () => Promise.reject(new Error('not used'))
  }
  const handlers = createHandlers(source, { name: 'Larder', version: '0.0.0', host: 'electron' }, (level, event, fields) => logged.push({ level, event, fields }))
  return { handlers, logged }
}

function leaks(logged: readonly Logged[]): string[] {
  const text = JSON.stringify(logged)
  return [SECRET, ...Object.values(INPUT).filter((value) => value !== 'service_account')].filter((value) => text.includes(value))
}

describe('failed calls in the log', () => {
  it('an unexpected error: by call, kind and class name, with where it happened; no message, no input', async () => {
    const { handlers, logged } = handlersThat(() => {
      throw new TypeError(`Cannot read properties of undefined (token ${SECRET})`)
    })
    const result = await handlers['libraries.add'](INPUT)
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } })
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ level: 'error', event: 'call failed', fields: { call: 'libraries.add', kind: 'internal', error: 'TypeError' } })
    expect(logged[0]!.fields['at']).toEqual(expect.arrayContaining([expect.stringMatching(/failure-log\.test\.ts/)]))
    expect(JSON.stringify(logged)).not.toContain('Cannot read properties')
    expect(leaks(logged)).toEqual([])
  })

  it("the API's refusal: by call, kind and the API's failure kind", async () => {
    const { handlers, logged } = handlersThat(() => Promise.reject(new ApiError('invalid_client', `Apicbase refused the client ${SECRET}`, { status: 401 })))
    await handlers['libraries.add'](INPUT)
    expect(logged).toEqual([{ level: 'warn', event: 'call failed', fields: { call: 'libraries.add', kind: 'api', error: 'ApiError', apiKind: 'invalid_client' } }])
    expect(leaks(logged)).toEqual([])
  })

  it('a system error keeps its code (ENOSPC), which names no value', async () => {
    const { handlers, logged } = handlersThat(() => Promise.reject(Object.assign(new Error(`ENOSPC: no space left, write '/home/x/${SECRET}'`), { code: 'ENOSPC' })))
    await handlers['libraries.add'](INPUT)
    expect(logged[0]?.fields).toMatchObject({ call: 'libraries.add', kind: 'internal', error: 'Error', code: 'ENOSPC' })
    expect(leaks(logged)).toEqual([])
  })

  it('refused input: by call and kind, without the fields or values sent', async () => {
    const { handlers, logged } = handlersThat(() => Promise.reject(new Error('not reached')))
    await handlers['libraries.add']({ ...INPUT, tokenType: 'nonsense' })
    await handlers['libraries.add']({ ...INPUT, [`extra-${SECRET}`]: SECRET })
    expect(logged).toEqual([
      { level: 'warn', event: 'call refused', fields: { call: 'libraries.add', kind: 'invalid_input' } },
      { level: 'warn', event: 'call refused', fields: { call: 'libraries.add', kind: 'invalid_input' } }
    ])
    expect(leaks(logged)).toEqual([])
  })

  it('a name that is not a plain class name is not copied', async () => {
    const odd = Object.assign(new Error('x'), { name: `Error ${SECRET}` })
    const { handlers, logged } = handlersThat(() => Promise.reject(odd))
    await handlers['libraries.add'](INPUT)
    expect(logged[0]?.fields['error']).toBe('Error')
    expect(leaks(logged)).toEqual([])
  })
})
