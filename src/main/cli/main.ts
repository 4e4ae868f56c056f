// The `larder` command: a thin client of the running Larder (the desktop app or `larder agent`). It never opens the
// vault; it asks the app over the data folder's private endpoint and prints the answer. Kept to Node's built-ins and
// plain shared words so it starts in tens of milliseconds (no schema library, no app code on its path).
import { parseArgs } from 'node:util'
import { EXIT_CODES, TOKEN_FORMATS, type TerminalCallName, type TokenFormat } from '../../shared/terminal-words.ts'
import { callEndpoint } from '../endpoint/client.ts'
import { listLibraries, printToken, refreshNow, showStatus, type Caller, type Io } from './commands.ts'
import { dataFolders, pickDataFolder } from './data-folder.ts'
import { execTargets, runWithTokens } from './exec.ts'
import { failureOf, failureOfThrown, UsageError, type Failure } from './exit-codes.ts'
import { HELP, MAIN_HELP } from './help.ts'
import { clientFacts } from './session-id.ts'
import { asksPassphrase, LOCKED_PROMPT, lockNow, PASSPHRASE_TRIES, type AskSecret } from './lock.ts'
import { exportConfig, restore, restoreProgressPrinter, writeBackup } from './estate.ts'
import { importFile, type CallerOptions } from './import-file.ts'
import { teamCommand } from './team.ts'

const COMMON = { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const

/** The command's streams, and its terminal's hidden prompt when stdin is one (asked for a locked Larder's passphrase). */
export type CliIo = Io & { readonly askSecret?: AskSecret | undefined }

class CallFailed extends Error {
  override readonly name = 'CallFailed'
  readonly failure: Failure
  constructor(failure: Failure) {
    super(failure.message)
    this.failure = failure
  }
}

function callerFor(dataDir: string | undefined, command: string, io: CliIo, options: CallerOptions = {}): Caller {
  const folder = pickDataFolder(dataFolders(dataDir))
  const client = clientFacts(command)
  let waited = false
  const askSecret = io.askSecret
  let accepted: string | null = null
  return async <T>(name: TerminalCallName, input: Readonly<Record<string, unknown>>) => {
    const send = (sent: Readonly<Record<string, unknown>>): ReturnType<typeof callEndpoint> =>
      callEndpoint({
      dataDir: folder,
      client,
      name,
      input: sent,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      onPending: (message) => {
        if (options.pending !== undefined) return options.pending(message)
        if (waited) return
        waited = true
        io.err(`${message}\n`)
      }
    })
    let { holder, result } = await send(accepted === null ? input : { ...input, lockPassphrase: accepted })
    // Locked: on a terminal the passphrase answers this one call (Larder checks it, counting wrong ones; the window
    // stays locked). Without a terminal the app's words say how to unlock, and the command exits 4.
    for (let tries = 0; !result.ok && tries < PASSPHRASE_TRIES && asksPassphrase(result.error, askSecret); tries++) {
      if (tries > 0) io.err(`${result.error.message}\n`)
      const lockPassphrase = await askSecret(LOCKED_PROMPT)
      if (lockPassphrase === null || lockPassphrase === '') break
      ;({ holder, result } = await send({ ...input, lockPassphrase }))
      // A command making a second call (`larder status` asks for the team too) is not asked twice.
      if (result.ok) accepted = lockPassphrase
    }
    if (!result.ok) throw new CallFailed(failureOf(result.error))
    return { holder, value: result.value as T }
  }
}

function tokenFormat(value: string | undefined): TokenFormat {
  if (value === undefined) return 'raw'
  if ((TOKEN_FORMATS as readonly string[]).includes(value)) return value as TokenFormat
  throw new UsageError(`Unknown --format "${value}": use one of ${TOKEN_FORMATS.join(', ')}.`)
}

function oneLibrary(positionals: readonly string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`larder ${command} needs LIB: a library's name, its Larder id or its Apicbase library id.`)
  if (positionals.length > 1) throw new UsageError(`larder ${command} takes one LIB; got ${positionals.length}. Quote a name with spaces.`)
  return positionals[0] as string
}

/** Runs one command line (without `node` and the script); resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    // Asked for, the help is the output; without a command it is a usage error, said on stderr.
    if (command === undefined) {
      io.err(`${MAIN_HELP}\n`)
      return EXIT_CODES.usage
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(`${MAIN_HELP}\n`)
      return EXIT_CODES.ok
    }
    const help = HELP[command]
    if (help === undefined) throw new UsageError(`Unknown command "${command}".`)
    if (command === 'exec') return await exec(rest, io, help)
    if (command === 'team') return await teamCommand(rest, io, help, (dataDir) => callerFor(dataDir, 'team', io), { env: process.env, input: process.stdin, output: process.stderr })
    if (command === 'import') return await importFile(rest, io, help, (dataDir, options) => callerFor(dataDir, 'import', io, options))
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        ...COMMON,
        json: { type: 'boolean' },
        format: { type: 'string', short: 'f' },
        'passphrase-file': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'take-over': { type: 'boolean' },
        'confirm-host': { type: 'string', multiple: true },
        forget: { type: 'boolean' }
      }
    })
    if (values.help === true) {
      io.out(`${help}\n`)
      return EXIT_CODES.ok
    }
    if (command === 'agent') {
      const { runAgent } = await import('../agent/main.ts')
      return await runAgent({ dataDir: values['data-dir'], passphraseFile: values['passphrase-file'] }, io)
    }
    const call = callerFor(values['data-dir'], command, io)
    const json = values.json === true
    switch (command) {
      case 'ls':
        await listLibraries(call, io, json)
        break
      case 'status':
        await showStatus(call, io, positionals.length === 0 ? undefined : oneLibrary(positionals, command), json)
        break
      case 'token':
        await printToken(call, io, oneLibrary(positionals, command), tokenFormat(values.format))
        break
      case 'refresh':
        await refreshNow(call, io, oneLibrary(positionals, command), json)
        break
      case 'backup':
        await writeBackup(call, io, positionals, passphraseSource(), json)
        break
      case 'restore': {
        // Its progress is shown, and each line keeps the call alive: a restore checking 10,000 pairs outlasts 150 s.
        const progress = restoreProgressPrinter(io, process.stderr.isTTY === true)
        const flags = { dryRun: values['dry-run'] === true, takeOver: values['take-over'] === true, json, confirmHosts: values['confirm-host'] ?? [] }
        await restore(callerFor(values['data-dir'], command, io, { pending: progress.line }), io, positionals, passphraseSource(), flags, progress)
        break
      }
      case 'export-config':
        await exportConfig(call, io, positionals, json)
        break
      case 'lock':
        if (positionals.length > 0) throw new UsageError('larder lock takes no LIB: it locks all of Larder.')
        await lockNow(call, io, values.forget === true)
        break
    }
    return EXIT_CODES.ok
  } catch (error) {
    const failure = error instanceof CallFailed ? error.failure : failureOfThrown(usageOf(error))
    io.err(`larder: ${failure.message}\n`)
    return failure.code
  }
}

/** Where a backup's passphrase comes from: LARDER_BACKUP_PASSPHRASE, else this terminal. */
function passphraseSource(): { env: NodeJS.ProcessEnv; input: NodeJS.ReadStream; output: NodeJS.WriteStream } {
  return { env: process.env, input: process.stdin, output: process.stderr }
}

/** parseArgs' own refusals are usage errors too. */
function usageOf(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') && error instanceof Error ? new UsageError(error.message) : error
}

async function exec(rest: readonly string[], io: CliIo, help: string): Promise<number> {
  const split = rest.indexOf('--')
  const own = split === -1 ? rest : rest.slice(0, split)
  // Positionals are taken here only to say what is missing: the command goes after --.
  const { values, positionals } = parseArgs({ args: [...own], strict: true, allowPositionals: true, options: { ...COMMON, library: { type: 'string', short: 'l', multiple: true } } })
  if (values.help === true) {
    io.out(`${help}\n`)
    return EXIT_CODES.ok
  }
  if (split === -1 || positionals.length > 0) throw new UsageError('larder exec needs -- before the command: larder exec --library LIB -- COMMAND [ARGS…]')
  const targets = execTargets(values.library ?? [])
  return runWithTokens(callerFor(values['data-dir'], 'exec', io), targets, rest.slice(split + 1))
}
