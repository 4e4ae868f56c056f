// Connecting a personal token through Apicbase's authorization page. The dialog keeps where its flow stands; the
// calls go through here, and the new token's record joins the list as soon as Larder answers with it.
import type { StateCreator } from 'zustand'
import type { CallResult } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, OAuthSlice } from './types.ts'

export function oauthSlice(client: BridgeClient): StateCreator<AppState, [], [], OAuthSlice> {
  return (_set, get) => {
    const connected = <N extends 'oauth.wait' | 'oauth.complete'>(result: CallResult<N>): CallResult<N> => {
      if (result.ok) get().applyLibraryViews([result.value.connection])
      return result
    }
    return {
      startOAuth: (input) => client.call('oauth.start', input),
      waitOAuth: async (flowId) => connected(await client.call('oauth.wait', { flowId })),
      completeOAuth: async (flowId, code) => connected(await client.call('oauth.complete', { flowId, code })),
      cancelOAuth(flowId) {
        void client.call('oauth.cancel', { flowId })
      }
    }
  }
}
