// The Electron app's entry: a throwaway profile for development tests (never in a packaged build), one instance,
// then the Electron host. Everything that imports 'electron' lives in ./electron; the app every host shares lives in
// ./app; the domain in ./core.
import { app } from 'electron'
import { startElectronHost } from './electron/host.ts'
import { applyUserDataOverride } from './electron/packaged-build.ts'
import { revealWindow } from './electron/window.ts'

applyUserDataOverride()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  const started = startElectronHost()
  const reveal = (): void => void started.then(({ window }) => revealWindow(window))
  app.on('second-instance', reveal)
  app.on('activate', reveal)
  started.catch((error: unknown) => {
    console.error('Larder could not start:', error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
}
