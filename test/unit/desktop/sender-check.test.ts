import { describe, expect, it } from 'vitest'
import { checkSender } from '../../../src/main/core/desktop/sender-check.ts'

const own = (url: string): boolean => url === 'file:///app/index.html'
const top = { url: 'file:///app/index.html', parent: null }

describe('checkSender', () => {
  it('accepts the top frame showing our page', () => {
    expect(checkSender(top, own)).toEqual({ ok: true })
  })

  it.each([
    ['a missing frame', null, 'no_frame'],
    ['an undefined frame', undefined, 'no_frame'],
    ['a sub-frame', { url: 'file:///app/index.html', parent: top }, 'sub_frame'],
    ['a foreign page', { url: 'https://evil.example/', parent: null }, 'foreign_url']
  ])('refuses %s', (_what, frame, reason) => {
    expect(checkSender(frame, own)).toEqual({ ok: false, reason })
  })

  it('treats a throwing URL check as foreign', () => {
    expect(checkSender(top, () => { throw new Error('boom') })).toEqual({ ok: false, reason: 'foreign_url' })
  })
})
