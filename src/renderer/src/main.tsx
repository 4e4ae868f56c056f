import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/index.css'
import { App } from './App.tsx'
import { createBridgeClient, findBridge } from './bridge/client.ts'
import { prepareCollation } from './lib/library-query.ts'
import { prepareExactFormat } from './lib/time.ts'
import { connectStore } from './store/connect.ts'
import { createAppStore } from './store/create-store.ts'
import { createNowStore, pokeForChanges, startTicker } from './store/now.ts'
import { StoreProvider } from './store/provider.tsx'
import { selectExpiries } from './store/selectors.ts'

const root = document.getElementById('root')
if (!root) throw new Error('Larder: the page has no #root element')

// The page's one store, over the bridge the preload (or the browser host) put on the page. Fed by the bridge once,
// for the life of the page: the initial list, then events only.
const client = createBridgeClient(findBridge())
const store = createAppStore(client)
connectStore(store, client)

// One clock for every time label. Re-planned when libraries change (a new expiry may be close) and when the
// window comes back (timers are slowed while it is hidden); a change pokes it only when its plan must move.
const now = createNowStore()
const ticker = startTicker(now, () => selectExpiries(store.getState()))
store.subscribe((state, previous) => pokeForChanges(ticker, previous.byId, state.byId))
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') ticker.poke()
})

// While the list is on its way: the collator the sort uses takes milliseconds to build the first time; built in
// the first idle moment, it is not part of the list's first render. The date format of the tooltips and the detail
// takes 40–200 ms the first time in a new page (ICU's locale data): one task that long while the list is on its way
// could hold the list back, so it is built only once the list is on screen (the rows render without it).
const whenIdle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 1))
whenIdle(prepareCollation)
const stopWaiting = store.subscribe((state) => {
  if (state.loadState === 'idle' || state.loadState === 'loading') return
  stopWaiting()
  window.requestAnimationFrame(() => window.setTimeout(() => whenIdle(prepareExactFormat), 0))
})

createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store} now={now}>
      <App />
    </StoreProvider>
  </StrictMode>
)
