// The token endpoint's form is written by hand for speed (a refresh burst sends thousands); it must be exactly the
// text URLSearchParams would send, whatever the values hold.
import { describe, expect, it } from 'vitest'
import { formBody } from '../../../src/main/core/apicbase/client.ts'

describe('formBody', () => {
  it('is the text of URLSearchParams for plain and awkward values alike', () => {
    const values = ['AbCdEf0123456789', 'a b', 'x+y', "!'()~", 'é€😀', 'a=b&c', '*-._', '%41', '', 'line\nbreak', '\u0000']
    for (const value of values) {
      const fields = { grant_type: 'refresh_token', refresh_token: value, client_id: `${value}id`, client_secret: `s${value}` }
      expect(formBody(fields), JSON.stringify(value)).toBe(new URLSearchParams(fields).toString())
    }
  })
})
