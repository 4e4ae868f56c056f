// The app's store instances and the hooks components use. Imported by React code only (it looks for the
// bridge on the page when first loaded); the pure parts live in create-store.ts, selectors.ts and now.ts.
import { useStore } from 'zustand'
import { createBridgeClient, findBridge, type BridgeClient } from '../bridge/client.ts'
import { createAppStore } from './create-store.ts'
import { createNowStore, type NowState } from './now.ts'
import type { AppState } from './types.ts'

export const bridgeClient: BridgeClient = createBridgeClient(findBridge())
export const appStore = createAppStore(bridgeClient)
export const nowStore = createNowStore()

/** Subscribes to the smallest piece of state the component needs; return a primitive or a stable reference. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector)
}

/** A label computed from the shared clock: the component re-renders only when the label's text changes. */
export function useNowLabel(format: (now: number) => string): string {
  return useStore(nowStore, (state: NowState) => format(state.now))
}

export function useNow(): number {
  return useStore(nowStore, (state: NowState) => state.now)
}
