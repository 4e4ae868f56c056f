// This machine's team (issue 16): where it stands ('team.state', then 'team.changed' with the whole view), and the
// calls that make, join, withdraw from, approve into and remove from a team. The database URL goes from the form into one call
// and is kept nowhere here; every view Larder answers names the server without its password.
import type { StateCreator } from 'zustand'
import type { TeamRemovalView, TeamView } from '../../../shared/contract.ts'
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

      // One action for every team call (the calls are used only by the Team section, loaded with Settings): an answered
      // view is the store's at once; a removal's first state goes into the view; an approval's roster comes as an event.
      async teamCall(name, input) {
        const asked = changes
        const result = await client.call(name, input)
        if (result.ok && asked === changes && name !== 'team.approve') {
          const value = result.value as TeamView | TeamRemovalView
          if ('membership' in value) set({ team: value, teamError: null })
          else set((state) => (state.team === null ? {} : { team: { ...state.team, removal: value } }))
        }
        return result
      },

      dropTeam() {
        changes += 1
        set({ team: null, teamError: null })
      }
    }
  }
}
