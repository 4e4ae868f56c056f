// Terminal sessions (the `larder` command): the requests waiting for the person's answer, oldest first, and the
// sessions allowed now. Larder is the authority: 'terminal.sessions' replaces both lists whenever anything changes
// (allowed, refused, timed out, revoked, ended), so a request answered elsewhere or timed out leaves the window too.
import type { StateCreator } from 'zustand'
import type { TerminalRequestView, TerminalSessionsView } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, TerminalSlice } from './types.ts'

export function terminalSlice(client: BridgeClient): StateCreator<AppState, [], [], TerminalSlice> {
  return (set, get) => {
    /** Drops a request the window knows is answered (by this window, or gone at Larder). */
    const drop = (requestId: string): void => set({ terminalRequests: get().terminalRequests.filter((request) => request.requestId !== requestId) })
    return {
      terminalRequests: [],
      terminalSessions: [],
      terminalError: null,

      async loadTerminalSessions() {
        const result = await client.call('terminal.sessions', {})
        if (result.ok) get().noteTerminalSessions(result.value)
        else set({ terminalError: result.error.message })
      },

      noteTerminalRequest(request: TerminalRequestView) {
        const requests = get().terminalRequests
        if (requests.some((known) => known.requestId === request.requestId)) return
        set({ terminalRequests: [...requests, request].sort((a, b) => a.at - b.at) })
      },

      noteTerminalSessions(view: TerminalSessionsView) {
        set({ terminalSessions: view.sessions, terminalRequests: [...view.pending].sort((a, b) => a.at - b.at), terminalError: null })
      },

      async approveTerminal(requestId, idleMs) {
        const result = await client.call('terminal.approve', idleMs === undefined ? { requestId } : { requestId, idleMs })
        drop(requestId)
        if (result.ok) {
          const sessions = get().terminalSessions.filter((session) => session.sessionId !== result.value.sessionId)
          set({ terminalSessions: [...sessions, result.value] })
        } else get().pushToast('error', `Could not allow the terminal session. ${result.error.message}`)
        return result
      },

      async denyTerminal(requestId) {
        const result = await client.call('terminal.deny', { requestId })
        drop(requestId)
        if (!result.ok) get().pushToast('error', `Could not refuse the terminal session. ${result.error.message}`)
        return result
      },

      async revokeTerminal(sessionId) {
        const result = await client.call('terminal.revoke', { sessionId })
        if (result.ok) {
          set({ terminalSessions: get().terminalSessions.filter((session) => session.sessionId !== sessionId) })
          get().pushToast('success', 'Terminal session revoked: its next command asks again.')
        } else get().pushToast('error', `Could not revoke the terminal session. ${result.error.message}`)
        return result
      }
    }
  }
}
