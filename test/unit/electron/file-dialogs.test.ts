// The file pickers through Electron's dialogs (mocked 'electron'): what each mode asks the system for, and a cancel.
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'

interface DialogAnswer {
  canceled: boolean
  filePaths?: string[]
  filePath?: string
}

const fake = vi.hoisted(() => ({
  asked: [] as Array<{ kind: 'open' | 'save'; parent: unknown; options: Record<string, unknown> }>,
  answer: { canceled: true } as DialogAnswer,
  documents: '/home/pat/Documents'
}))

vi.mock('electron', () => ({
  app: {
    getPath: (name: string) => {
      if (name !== 'documents' || fake.documents === '') throw new Error(`Failed to get '${name}' path`)
      return fake.documents
    }
  },
  dialog: {
    showOpenDialog: (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [null, args[0]]
      fake.asked.push({ kind: 'open', parent, options: options as Record<string, unknown> })
      return Promise.resolve({ canceled: fake.answer.canceled, filePaths: fake.answer.filePaths ?? [] })
    },
    showSaveDialog: (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [null, args[0]]
      fake.asked.push({ kind: 'save', parent, options: options as Record<string, unknown> })
      return Promise.resolve({ canceled: fake.answer.canceled, filePath: fake.answer.filePath ?? '' })
    }
  }
}))

const { createFileDialogs } = await import('../../../src/main/electron/file-dialogs.ts')

const window = { isDestroyed: () => false, id: 'main window' }
beforeEach(() => {
  fake.asked.length = 0
  fake.answer = { canceled: true }
})

describe('file dialogs', () => {
  it('opens a file to import, modal to the window, with the filters asked for', async () => {
    fake.answer = { canceled: false, filePaths: ['/home/pat/customers.csv'] }
    const files = createFileDialogs(() => window as never)
    const chosen = await files.choose({ purpose: 'import', mode: 'open', filters: [{ name: 'CSV or JSON', extensions: ['csv', 'json'] }] })
    expect(chosen).toEqual({ path: '/home/pat/customers.csv' })
    expect(fake.asked).toHaveLength(1)
    expect(fake.asked[0]?.kind).toBe('open')
    expect(fake.asked[0]?.parent).toBe(window)
    expect(fake.asked[0]?.options).toMatchObject({ title: 'Choose a CSV or JSON file to import', properties: ['openFile'], filters: [{ name: 'CSV or JSON', extensions: ['csv', 'json'] }] })
  })

  it('asks for a folder (scheduled backups) and a place to save (a backup) in the documents folder', async () => {
    const files = createFileDialogs(() => window as never)
    fake.answer = { canceled: false, filePaths: ['/media/usb/backups'] }
    expect(await files.choose({ purpose: 'backup_folder', mode: 'folder' })).toEqual({ path: '/media/usb/backups' })
    expect(fake.asked[0]?.options['properties']).toEqual(['openDirectory', 'createDirectory'])
    fake.answer = { canceled: false, filePath: '/home/pat/Documents/larder.age' }
    expect(await files.choose({ purpose: 'backup', mode: 'save', suggestedName: 'larder.age' })).toEqual({ path: '/home/pat/Documents/larder.age' })
    expect(fake.asked[1]?.kind).toBe('save')
    expect(fake.asked[1]?.options).toMatchObject({ title: 'Save an encrypted backup', defaultPath: path.join(fake.documents, 'larder.age') })
  })

  it('suggests the name alone where the system has no documents folder', async () => {
    const documents = fake.documents
    fake.documents = ''
    fake.answer = { canceled: false, filePath: '/tmp/larder-config.json' }
    const files = createFileDialogs(() => window as never)
    expect(await files.choose({ purpose: 'config', mode: 'save', suggestedName: 'larder-config.json' })).toEqual({ path: '/tmp/larder-config.json' })
    expect(fake.asked[0]?.options['defaultPath']).toBe('larder-config.json')
    fake.documents = documents
  })

  it('answers cancelled when the person closes the dialog', async () => {
    const files = createFileDialogs(() => null)
    expect(await files.choose({ purpose: 'restore', mode: 'open' })).toEqual({ cancelled: true })
    expect(await files.choose({ purpose: 'config', mode: 'save', suggestedName: 'larder-config.json' })).toEqual({ cancelled: true })
    // No window (closed): the dialogs stand alone rather than failing.
    expect(fake.asked.map((asked) => asked.parent)).toEqual([null, null])
  })
})
