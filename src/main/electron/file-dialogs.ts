// The app's file pickers through Electron's own dialogs, modal to the window: the estate's calls take the path the
// person chose here, so the window never reads, writes or names a file full of secrets itself.
import path from 'node:path'
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron'
import type { FilesPort } from '../app/ports.ts'
import type { FileChoice, FileChooseRequest, FilePurpose } from '../../shared/contract/files.ts'

const TITLES: Readonly<Record<FilePurpose, string>> = {
  import: 'Choose a CSV or JSON file to import',
  import_report: 'Save the import report',
  backup: 'Save an encrypted backup',
  restore: 'Choose a backup to restore',
  backup_folder: 'Choose a folder for scheduled backups',
  move: 'Save the file for the move',
  config: 'Save the configuration (no secrets)'
}

const CANCELLED: FileChoice = { cancelled: true }

/** The name in the person's documents folder; the name alone (the dialog's own folder) where the system has none. */
function inDocuments(name: string): string {
  try {
    return path.join(app.getPath('documents'), name)
  } catch {
    return name
  }
}

/** `window`: the window the dialogs belong to (modal to it); null or closed, they stand alone. */
export function createFileDialogs(window: () => BrowserWindow | null): FilesPort {
  const owner = (): BrowserWindow | null => {
    const current = window()
    return current !== null && !current.isDestroyed() ? current : null
  }
  const save = async (request: FileChooseRequest): Promise<FileChoice> => {
    const options: SaveDialogOptions = {
      title: TITLES[request.purpose],
      // Only a name is suggested (the contract refuses a folder in it); the folder is the person's documents.
      ...(request.suggestedName === undefined ? {} : { defaultPath: inDocuments(path.basename(request.suggestedName)) }),
      ...(request.filters === undefined ? {} : { filters: request.filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })) }),
      properties: ['createDirectory', 'showOverwriteConfirmation']
    }
    const parent = owner()
    const answer = parent === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options)
    return answer.canceled || answer.filePath === undefined || answer.filePath === '' ? CANCELLED : { path: answer.filePath }
  }
  const open = async (request: FileChooseRequest): Promise<FileChoice> => {
    const folder = request.mode === 'folder'
    const options: OpenDialogOptions = {
      title: TITLES[request.purpose],
      ...(request.filters === undefined || folder ? {} : { filters: request.filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })) }),
      properties: folder ? ['openDirectory', 'createDirectory'] : ['openFile']
    }
    const parent = owner()
    const answer = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options)
    const chosen = answer.filePaths[0]
    return answer.canceled || chosen === undefined ? CANCELLED : { path: chosen }
  }
  return { choose: (request) => (request.mode === 'save' ? save(request) : open(request)) }
}
