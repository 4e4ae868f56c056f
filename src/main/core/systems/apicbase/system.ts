// Apicbase as one token system among the others: how its access token is carried and named for scripts, and what a
// person can do with it. Its behaviour is where it always was: the refresh engine rotates its pairs, the health
// monitor checks them, the personal-token module follows the active library. Nothing here changes any of that.
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import type { TokenSystem } from '../system.ts'

/** Where an Apicbase access token is meant to go. */
export interface ApicbaseTarget {
  readonly apiBaseUrl: string
  readonly apicbaseLibraryId: string | null
}

export const apicbase: TokenSystem<ApicbaseTarget> = {
  id: 'apicbase',
  label: SYSTEM_LABEL.apicbase,
  carry: () => ({ kind: 'bearer' }),
  actions: ['refresh', 'reauthorize', 'revoke', 'check'],
  environment: (target, token) => ({
    APICBASE_ACCESS_TOKEN: token,
    APICBASE_API_URL: target.apiBaseUrl,
    ...(target.apicbaseLibraryId === null ? {} : { APICBASE_LIBRARY_ID: target.apicbaseLibraryId })
  })
}
