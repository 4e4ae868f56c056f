// Where the agent gets the vault's passphrase: a file only its owner can read (named by --passphrase-file or
// LARDER_PASSPHRASE_FILE), else a prompt on the terminal with echo off. Never an environment variable holding the
// passphrase itself (every child process would inherit it) and never the command line (ps shows it).
import fs from 'node:fs'
import { hiddenPrompt } from '../cli/hidden-prompt.ts'

export class PassphraseSourceError extends Error {
  override readonly name = 'PassphraseSourceError'
}

/** Reads a passphrase file as ssh reads a key: a regular file of this user that no one else may read or write. */
export function readPassphraseFile(file: string): string {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(file)
  } catch {
    throw new PassphraseSourceError(`The passphrase file ${file} cannot be read: it does not exist or is not reachable.`)
  }
  if (!stat.isFile()) throw new PassphraseSourceError(`The passphrase file ${file} is not a regular file (a link or a folder is refused).`)
  if (process.platform !== 'win32') {
    const uid = process.getuid?.()
    if (uid !== undefined && stat.uid !== uid) throw new PassphraseSourceError(`The passphrase file ${file} belongs to user ${stat.uid}, not to you (${uid}).`)
    if ((stat.mode & 0o077) !== 0) {
      throw new PassphraseSourceError(`The passphrase file ${file} can be read or written by others (mode ${(stat.mode & 0o777).toString(8)}). Run: chmod 600 ${file}`)
    }
  }
  // One trailing newline, as `echo` and editors leave it; anything else is part of the passphrase.
  const text = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  if (text === '') throw new PassphraseSourceError(`The passphrase file ${file} is empty.`)
  return text
}

export interface PromptStreams {
  readonly input: NodeJS.ReadStream
  readonly output: NodeJS.WriteStream
}

/** Asks on the terminal with echo off; Ctrl-C or Ctrl-D ends the prompt with an error. */
export async function promptPassphrase(question: string, streams: PromptStreams = { input: process.stdin, output: process.stderr }): Promise<string> {
  const answer = await hiddenPrompt(question, streams.input, streams.output)
  if (answer === null) throw new PassphraseSourceError('No passphrase was given.')
  return answer
}

/** The passphrase from the first source there is, in the order the README gives. */
export async function passphraseFrom(options: { readonly file?: string | undefined; readonly env?: NodeJS.ProcessEnv; readonly streams?: PromptStreams }): Promise<string> {
  const file = options.file ?? (options.env ?? process.env)['LARDER_PASSPHRASE_FILE']
  if (file !== undefined && file !== '') return readPassphraseFile(file)
  const streams = options.streams ?? { input: process.stdin, output: process.stderr }
  if (streams.input.isTTY) return promptPassphrase('Larder passphrase: ', streams)
  throw new PassphraseSourceError('No passphrase: give --passphrase-file FILE (or LARDER_PASSPHRASE_FILE), or start the agent in a terminal to be asked.')
}
