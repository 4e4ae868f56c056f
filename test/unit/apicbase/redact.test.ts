// Issue 13, item 4: server text is quoted only after every run of 8+ characters that occurs (in any case, and in the
// URL- or base64-encoded spellings) in a secret the request carried has been removed.
import { describe, expect, it } from 'vitest'
import { cleanServerText, removeSecretRuns } from '../../../src/main/core/apicbase/redact.ts'

const SECRET = 'Zq8vN3kLmP0xR7tYw2Hs'

describe('removeSecretRuns', () => {
  it('removes the whole secret, a prefix, a suffix and a middle piece of 8 or more characters', () => {
    expect(removeSecretRuns(`a ${SECRET} b`, [SECRET])).toBe('a [redacted] b')
    expect(removeSecretRuns(`prefix ${SECRET.slice(0, 8)}…`, [SECRET])).toBe('prefix [redacted]…')
    expect(removeSecretRuns(`end ${SECRET.slice(-10)}.`, [SECRET])).toBe('end [redacted].')
    expect(removeSecretRuns(`mid ${SECRET.slice(5, 14)}!`, [SECRET])).toBe('mid [redacted]!')
  })

  it('keeps runs of 7 characters or fewer (ordinary words share those with secrets)', () => {
    expect(removeSecretRuns(`short ${SECRET.slice(0, 7)} x`, [SECRET])).toBe(`short ${SECRET.slice(0, 7)} x`)
  })

  it('ignores case both ways', () => {
    expect(removeSecretRuns(`up ${SECRET.toUpperCase()}`, [SECRET])).toBe('up [redacted]')
    expect(removeSecretRuns(`low ${SECRET.toLowerCase()}`, [SECRET])).toBe('low [redacted]')
  })

  it('removes URL-encoded, form-encoded and base64 spellings, and base64 of client_id:client_secret', () => {
    const odd = 'sec+ret/with=odd&chars'
    expect(removeSecretRuns(`form ${new URLSearchParams({ s: odd }).toString().slice(2)}`, [odd])).toBe('form [redacted]')
    expect(removeSecretRuns(`url ${encodeURIComponent(odd)}`, [odd])).toBe('url [redacted]')
    expect(removeSecretRuns(`b64 ${Buffer.from(SECRET).toString('base64')}`, [SECRET])).toBe('b64 [redacted]')
    const basic = Buffer.from(`client-1:${SECRET}`).toString('base64')
    expect(removeSecretRuns(`basic ${basic}`, [`client-1:${SECRET}`])).toBe('basic [redacted]')
  })

  it('merges overlapping and adjacent runs into one mark, and leaves text without secrets alone', () => {
    expect(removeSecretRuns(`${SECRET}${SECRET.toUpperCase()}`, [SECRET])).toBe('[redacted]')
    expect(removeSecretRuns('nothing secret here at all', [SECRET])).toBe('nothing secret here at all')
    expect(removeSecretRuns('anything', [])).toBe('anything')
  })
})

describe('cleanServerText', () => {
  it('collapses whitespace, removes secrets before truncating to 200 characters', () => {
    const text = cleanServerText(`x\n\t${SECRET.toUpperCase()} ${'y'.repeat(300)}`, [SECRET])
    expect(text.startsWith('x [redacted] yyy')).toBe(true)
    expect(text.length).toBe(200)
    expect(text.endsWith('…')).toBe(true)
  })
})
