// How components reach the store: through React context, never a module-level instance. main.tsx builds the store
// over the real bridge and provides it; a component test provides one built over a fake bridge.
import { createContext, useContext, useMemo, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { AppStore } from './create-store.ts'
import type { NowState, NowStore } from './now.ts'
import type { AppActions, AppState } from './types.ts'

interface Stores {
  readonly app: AppStore
  readonly now: NowStore
}

const StoreContext = createContext<Stores | null>(null)

export interface StoreProviderProps {
  readonly store: AppStore
  /** The shared clock every time label follows. */
  readonly now: NowStore
  readonly children: ReactNode
}

export function StoreProvider({ store, now, children }: StoreProviderProps): React.JSX.Element {
  const value = useMemo(() => ({ app: store, now }), [store, now])
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>
}

function useStores(): Stores {
  const stores = useContext(StoreContext)
  if (stores === null) throw new Error('Larder: a component asked for the store outside <StoreProvider>')
  return stores
}

/** Subscribes to the smallest piece of state the component needs; return a primitive or a stable reference. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStores().app, selector)
}

/** The store's actions. They never change, so asking for them subscribes to nothing. */
export function useActions(): AppActions {
  return useStores().app.getState()
}

/** The state as it is when called (in an event handler), for what a component need not re-render for. */
export function useStateReader(): () => AppState {
  return useStores().app.getState
}

/** A label computed from the shared clock: the component re-renders only when the label's text changes. */
export function useNowLabel(format: (now: number) => string): string {
  return useStore(useStores().now, (state: NowState) => format(state.now))
}
