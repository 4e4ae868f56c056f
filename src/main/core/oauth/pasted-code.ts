// What a person pastes after authorizing: the code Apicbase showed (the default when the application has no
// redirect URL), or the whole address the browser was sent to, from which Larder reads `code` and `state`. An address
// must carry the state Larder generated: one without it (or with another) may be someone else's authorization, handed
// over to connect their account, and is refused before anything is exchanged. A bare code has no state to check; it
// is how Apicbase shows a code without a redirect URL, and PKCE binds it to this flow at the exchange.
import { InputError } from '../errors.ts'
import { sameState } from './state.ts'

const FIELD = 'code'
const SURROUNDING = /^[\s"'`‘’“”<>]+|[\s"'`‘’“”<>]+$/g
const OPAQUE = /^[\x21-\x7e]+$/
const MAX_PASTE = 8192
const MAX_CODE = 4096

/** The authorization code in what was pasted. Throws an InputError (field 'code') saying what is wrong. */
export function readPastedCode(pasted: unknown, expectedState: string): string {
  if (typeof pasted !== 'string') throw new InputError(FIELD, 'The authorization code must be text')
  if (pasted.length > MAX_PASTE) throw new InputError(FIELD, `What was pasted is far too long for an authorization code (${pasted.length} characters)`)
  const text = pasted.replace(SURROUNDING, '')
  if (text === '') throw new InputError(FIELD, 'Paste the authorization code Apicbase showed you (or the address the browser opened)')
  const code = looksLikeAddress(text) ? fromAddress(text, expectedState) : text
  if (/\s/.test(code)) throw new InputError(FIELD, 'The authorization code contains a space or line break; copy it again in one piece')
  if (!OPAQUE.test(code)) throw new InputError(FIELD, 'The authorization code contains characters a code never has; copy it again')
  if (code.length > MAX_CODE) throw new InputError(FIELD, `The authorization code is too long (${code.length} characters)`)
  return code
}

function looksLikeAddress(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('?') || /(^|[?&])(code|state|error)=/.test(text)
}

function fromAddress(text: string, expectedState: string): string {
  let params: URLSearchParams
  try {
    const query = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? new URL(text).search : text.slice(text.indexOf('?') + 1)
    params = new URLSearchParams(query)
  } catch {
    throw new InputError(FIELD, 'What was pasted looks like an address but is not a valid one; paste the code itself')
  }
  const error = params.get('error')
  if (error !== null) {
    const word = /^[a-z_]{1,40}$/.test(error) ? error : 'an error'
    throw new InputError(
      FIELD,
      word === 'access_denied'
        ? 'Apicbase says the authorization was declined (access_denied). Start again and approve it.'
        : `Apicbase answered the authorization with ${word} instead of a code. Start again.`
    )
  }
  const state = params.get('state')
  if (state === null || state === '') {
    throw new InputError(
      FIELD,
      'This address carries no state, so Larder cannot tell it answers the authorization it started; its code was not used. Paste the address from this authorization, or start again from Larder.'
    )
  }
  if (!sameState(state, expectedState)) {
    throw new InputError(
      FIELD,
      'This address belongs to another authorization: its state does not match the one Larder started, so its code was not used. Start again from Larder.'
    )
  }
  const code = params.get('code')
  if (code === null || code.trim() === '') throw new InputError(FIELD, 'This address holds no authorization code; paste the code Apicbase showed you')
  return code
}
