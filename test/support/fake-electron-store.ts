// electron-store outside Electron, for tests that mock it: conf with the same options (electron-store is conf with
// Electron's paths filled in), `name` becoming conf's `configName` as electron-store does it.
//   vi.mock('electron-store', async () => (await import('../../support/fake-electron-store.ts')).fakeElectronStoreModule())
import Conf from 'conf'

export function fakeElectronStoreModule(): { default: new (options: Record<string, unknown> & { name?: string }) => Conf<Record<string, unknown>> } {
  class FakeElectronStore extends Conf<Record<string, unknown>> {
    constructor(options: Record<string, unknown> & { name?: string }) {
      const { name, ...rest } = options
      super({ ...rest, configName: name ?? 'config' })
    }
  }
  return { default: FakeElectronStore }
}
