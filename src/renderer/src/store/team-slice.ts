// This machine's team (issue 16): where it stands ('team.state', then 'team.changed' with the whole view), and the
// calls that make, join, withdraw from, approve into and remove from a team. The database URL goes from the form into one call
// and is kept nowhere here; every view Larder answers names the server without its password.
import type { StateCreator } from 'zustand'
import type { TeamView } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, TeamSlice } from './types.ts'

export function teamSlice(client: BridgeClient): StateCreator<AppState, [], [], TeamSlice> {
  /**
   * Counts the views Larder sent by itself ('team.changed'). An answer asked before the latest of them may have been
   * made before it (a request approved while 'team.state' was being read), so it does not replace it.
   */
  let changes = 0
  return (set) => {
    const answered = (asked: number, view: TeamView): void => {
      if (asked === changes) set({ team: view, teamError: null })
    }
    return {
      team: null,
      teamError: null,

      async loadTeam() {
        const asked = changes
        const result = await client.call('team.state', {})
        if (result.ok) answered(asked, result.value)
        else if (asked === changes) set({ teamError: result.error.message })
      },

      noteTeam(view) {
        changes += 1
        set({ team: view, teamError: null })
      },

      async createTeam(input) {
        const asked = changes
        const result = await client.call('team.create', input)
        if (result.ok) answered(asked, result.value)
        return result
      },

      async requestJoinTeam(input) {
        const asked = changes
        const result = await client.call('team.requestJoin', input)
        if (result.ok) answered(asked, result.value)
        return result
      },

      async cancelJoinTeam() {
        const asked = changes
        const result = await client.call('team.cancelJoin', {})
        if (result.ok) answered(asked, result.value)
        return result
      },

      // The roster that now names the new member arrives as 'team.changed'.
      approveMember: (code) => client.call('team.approve', { code }),

      // The answer is the removal's first state, shown at once; its progress arrives as 'team.changed'.
      async removeMember(memberId) {
        const asked = changes
        const result = await client.call('team.remove', { memberId })
        if (result.ok && asked === changes) set((state) => (state.team === null ? {} : { team: { ...state.team, removal: result.value } }))
        return result
      },

      dropTeam() {
        changes += 1
        set({ team: null, teamError: null })
      }
    }
  }
}
