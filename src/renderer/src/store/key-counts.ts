// How many keys of other systems are in each status: what the summary above the list and the key warnings both read.
// Kept as one object per change of the keys (few of them), so a component selecting it re-renders only then.
import type { KeyStatusView } from '../../../shared/contract.ts'
import type { AppState } from './types.ts'

/** The statuses that want a person's look (the key warnings name them); 'healthy' is fine, 'revoked' is ended. */
export const KEY_ATTENTION: readonly KeyStatusView[] = ['needs_reauth', 'inactive', 'expired', 'error', 'expiring_soon']

export interface KeyCounts {
  readonly total: number
  readonly byStatus: ReadonlyMap<KeyStatusView, number>
  /** Keys in a status of KEY_ATTENTION. */
  readonly attention: number
  readonly revoked: number
}

export function countKeys(state: Pick<AppState, 'keysById' | 'keyIds'>): KeyCounts {
  const byStatus = new Map<KeyStatusView, number>()
  for (const id of state.keyIds) {
    const status = state.keysById[id]?.status
    if (status !== undefined) byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
  }
  const attention = KEY_ATTENTION.reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0)
  return { total: state.keyIds.length, byStatus, attention, revoked: byStatus.get('revoked') ?? 0 }
}

function createKeyCountsSelector(): (state: AppState) => KeyCounts {
  let seen: { keysById: AppState['keysById']; keyIds: AppState['keyIds'] } | null = null
  let counts = countKeys({ keysById: {}, keyIds: [] })
  return (state) => {
    if (seen === null || seen.keysById !== state.keysById || seen.keyIds !== state.keyIds) {
      counts = countKeys(state)
      seen = { keysById: state.keysById, keyIds: state.keyIds }
    }
    return counts
  }
}

/** One shared instance: the banner and the key warnings ask for the same counts. */
export const selectKeyCounts = createKeyCountsSelector()
