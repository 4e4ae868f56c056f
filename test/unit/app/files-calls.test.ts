// 'files.choose' through the handler table: a host with file dialogs (its files port) answers
// what the person chose; a host without (the browser host, the agent) answers unavailable, so the window asks for a
// path as text. The input is checked first: a suggested name is a name, never a path.
import { describe, expect, it } from 'vitest'
import type { Actions } from '../../../src/main/app/actions.ts'
import { createHandlers, type ActionSource } from '../../../src/main/app/handlers.ts'
import type { FilesPort } from '../../../src/main/app/ports.ts'
import { checkResult } from '../../support/contract-check.ts'

const source: ActionSource = {
  actions: () => ({}) as unknown as Actions,
  state: () => ({ state: 'open', cipher: 'passphrase' }),
  unlock: () => Promise.reject(new Error('not used')),
  restoreBackup: () => Promise.reject(new Error('not used'))
}
const info = { name: 'Larder', version: '0.0.0', host: 'electron' } as const

describe('files.choose', () => {
  it('answers unavailable on a host without file dialogs', async () => {
    const handlers = createHandlers(source, { ...info, host: 'browser' })
    const chosen = await handlers['files.choose']({ purpose: 'import', mode: 'open' })
    expect(chosen).toEqual({ ok: true, value: { unavailable: true } })
    checkResult('files.choose', chosen)
  })

  it('passes the request to the host’s dialogs', async () => {
    const asked: unknown[] = []
    const files: FilesPort = {
      choose: (request) => {
        asked.push(request)
        return Promise.resolve(request.mode === 'folder' ? { cancelled: true } : { path: '/home/pat/larder.age' })
      }
    }
    const handlers = createHandlers(source, info, undefined, undefined, undefined, files)
    const chosen = await handlers['files.choose']({ purpose: 'backup', mode: 'save', suggestedName: 'larder.age', filters: [{ name: 'Backups', extensions: ['age'] }] })
    expect(chosen).toEqual({ ok: true, value: { path: '/home/pat/larder.age' } })
    expect(await handlers['files.choose']({ purpose: 'backup_folder', mode: 'folder' })).toEqual({ ok: true, value: { cancelled: true } })
    expect(asked).toEqual([
      { purpose: 'backup', mode: 'save', suggestedName: 'larder.age', filters: [{ name: 'Backups', extensions: ['age'] }] },
      { purpose: 'backup_folder', mode: 'folder' }
    ])
  })

  it('refuses a suggested name that is a path, an unknown purpose or mode, before any dialog opens', async () => {
    let opened = 0
    const files: FilesPort = { choose: () => Promise.resolve({ path: String(++opened) }) }
    const handlers = createHandlers(source, info, undefined, undefined, undefined, files)
    for (const input of [
      { purpose: 'backup', mode: 'save', suggestedName: '../../.ssh/authorized_keys' },
      { purpose: 'backup', mode: 'save', suggestedName: 'C:\\Windows\\larder.age' },
      { purpose: 'backup', mode: 'save', suggestedName: '..' },
      { purpose: 'anything', mode: 'open' },
      { purpose: 'import', mode: 'delete' },
      { purpose: 'import', mode: 'open', filters: [{ name: 'x', extensions: ['.csv'] }] }
    ]) {
      const answer = await handlers['files.choose'](input)
      expect(answer.ok, JSON.stringify(input)).toBe(false)
      if (!answer.ok) expect(answer.error.kind).toBe('invalid_input')
    }
    expect(opened).toBe(0)
  })
})
