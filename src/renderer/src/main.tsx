import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { connectStore } from './store/connect.ts'
import { appStore, bridgeClient, nowStore } from './store/app-store.ts'
import { startTicker } from './store/now.ts'
import { selectExpiries } from './store/selectors.ts'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('Larder: the page has no #root element')

// Fed by the bridge once, for the life of the page: the initial list, then events only.
connectStore(appStore, bridgeClient)

// One clock for every time label. Re-planned when libraries change (a new expiry may be close) and when the
// window comes back (timers are slowed while it is hidden).
const ticker = startTicker(nowStore, () => selectExpiries(appStore.getState()))
appStore.subscribe((state, previous) => {
  if (state.byId !== previous.byId) ticker.poke()
})
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') ticker.poke()
})

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>
)
