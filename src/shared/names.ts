// The names of the bridge's calls and events as plain data, with no schema library attached, so the sandboxed
// preload can check them without bundling zod. contract.ts asserts these match its definitions.

export const CALL_NAMES = [
  'app.info',
  'vault.state',
  'vault.unlock',
  'vault.restoreBackup',
  'libraries.list',
  'libraries.listFirst',
  'libraries.listMore',
  'libraries.get',
  'libraries.add',
  'libraries.refresh',
  'libraries.copy',
  'libraries.revoke',
  'libraries.reauthorize',
  'libraries.remove',
  'libraries.update',
  'oauth.start',
  'oauth.complete',
  'oauth.wait',
  'oauth.cancel',
  'personal.libraries',
  'personal.add',
  'personal.switch',
  'personal.check',
  'settings.get',
  'settings.update',
  'audit.page',
  'audit.exportCsv',
  'terminal.sessions',
  'terminal.approve',
  'terminal.deny',
  'terminal.revoke',
  'import.dryRun',
  'import.start',
  'import.cancel',
  'import.report',
  'keys.list',
  'keys.add',
  'keys.update',
  'keys.check',
  'keys.markUsed',
  'keys.regenerate',
  'keys.lifecycle',
  'keys.copy',
  'keys.remove',
  'keys.bases',
  'lock.info',
  'lock.now',
  'lock.forget',
  'lock.unlock',
  'lock.setPassphrase'
] as const

export const EVENT_NAMES = ['library.changed', 'library.removed', 'navigate.library', 'navigate.key', 'vault.state', 'personal.active', 'terminal.requested', 'terminal.sessions', 'key.changed', 'key.removed', 'import.progress'] as const

/** Electron IPC channels: one per call (so main can register exactly the contract), one per event. */
export const callChannel = (name: string): string => `larder:call:${name}`
export const eventChannel = (name: string): string => `larder:event:${name}`
