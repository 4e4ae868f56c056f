// Real processes and sockets for the `larder` command: the Apicbase sandbox on loopback in the test process, a temp
// data folder with a passphrase vault filled through the app's own use cases (assembleCore, then closed), a private
// passphrase file, the agent as its own process (`node bin/larder.js agent`), and `larder` processes run from a
// client bundle built once per test file with rolldown (the options of rolldown.cli.config.ts), so hundreds stay
// cheap. Every spawn is asynchronous: the sandbox answers in this process's event loop. No token ever goes in argv.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'rolldown'
import cliConfig from '../../rolldown.cli.config.ts'
import { ShiftedClock } from './shifted-clock.ts'
import { assembleCore, DEV_PASSPHRASE, type AssembledCore } from '../browser-host/assemble.ts'
import { startSandbox, type LibraryCredentials, type Sandbox, type SandboxOptions } from '../sandbox/index.ts'
import { FAST_SCRYPT } from './core-harness.ts'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
/** The sandbox's access-token lifetime (its default, 7 days). */
export const TOKEN_TTL_MS = 7 * 24 * HOUR
const ROOT = path.resolve(import.meta.dirname, '../..')
export const LARDER_BIN = path.join(ROOT, 'bin/larder.js')

/** Builds the client bundle (the same options as `npm run build:cli`) into `dir`; answers the entry's path. */
export async function buildCli(dir: string): Promise<string> {
  const { output, ...input } = cliConfig as typeof cliConfig & { output: object }
  await build({ ...input, input: { larder: path.join(ROOT, 'src/main/cli/run.ts') }, output: { ...output, dir }, logLevel: 'silent' })
  return path.join(dir, 'larder.js')
}

export interface LibrarySpec {
  readonly name: string
  /** How long its access token has left when the agent starts (default: a whole lifetime, 7 days). */
  readonly expiresInMs?: number
}

export interface AddedLibrary {
  readonly id: string
  readonly name: string
  readonly credentials: LibraryCredentials
  /** The access token the vault held when it was filled (test side only; for "differs" and "never in" checks). */
  readonly accessToken: string
}

export interface TerminalWorld {
  readonly sandbox: Sandbox
  /** The temp folder holding the data folder, the passphrase file and the client bundle. */
  readonly root: string
  readonly dataDir: string
  readonly passphraseFile: string
  /** The built `larder` client. */
  readonly cli: string
  readonly libraries: readonly AddedLibrary[]
  close(): Promise<void>
}

export interface WorldOptions {
  readonly libraries?: readonly LibrarySpec[]
  /** Vault settings set through the app's own use case (e.g. refreshAheadMs, copyFreshnessMarginMs). */
  readonly settings?: Readonly<Record<string, unknown>>
  readonly sandbox?: SandboxOptions
  /** Skip the vault: a data folder with nothing in it. */
  readonly noVault?: boolean
  /** Reuse a bundle already built (one per test file). */
  readonly cli?: string
  /** After the libraries, on the same open app: e.g. keys of other systems added through the key service. */
  readonly fill?: (assembled: AssembledCore) => Promise<void>
}

/** The sandbox, a data folder with a passphrase vault holding `libraries`, the passphrase file and the client. */
export async function startWorld(options: WorldOptions = {}): Promise<TerminalWorld> {
  const sandbox = await startSandbox({ rateLimitPerMinute: false, ...options.sandbox })
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-term-'))
  const dataDir = path.join(root, 'data')
  const passphraseFile = path.join(root, 'passphrase')
  fs.writeFileSync(passphraseFile, `${DEV_PASSPHRASE}\n`, { mode: 0o600 })
  const cli = options.cli ?? (await buildCli(path.join(root, 'cli')))
  const libraries = options.noVault === true ? [] : await fillVault(sandbox, dataDir, options)
  if (options.noVault === true) fs.mkdirSync(dataDir, { mode: 0o700 })
  return {
    sandbox,
    root,
    dataDir,
    passphraseFile,
    cli,
    libraries,
    async close() {
      await sandbox.close()
      fs.rmSync(root, { recursive: true, force: true })
    }
  }
}

async function fillVault(sandbox: Sandbox, dataDir: string, options: WorldOptions): Promise<AddedLibrary[]> {
  const clock = new ShiftedClock()
  const assembled: AssembledCore = await assembleCore({ dataDir, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT, clock })
  try {
    if (options.settings !== undefined) await assembled.actions.updateSettings(options.settings)
    const added: AddedLibrary[] = []
    for (const spec of options.libraries ?? []) {
      const credentials = sandbox.addLibraryWithApplication({ name: spec.name })
      const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
      // Added as if long ago, so the pair Larder holds has only `expiresInMs` left by the real clock.
      clock.offset = (spec.expiresInMs ?? TOKEN_TTL_MS) - TOKEN_TTL_MS
      const library = await assembled.actions.add({ tokenType, name: spec.name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
      const { accessToken: held } = await assembled.core.vault.secrets(library.id, ['accessToken'])
      added.push({ id: library.id, name: spec.name, credentials, accessToken: held })
    }
    clock.offset = 0
    await options.fill?.(assembled)
    return added
  } finally {
    await assembled.close()
  }
}

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface Running {
  readonly child: ChildProcess
  readonly done: Promise<Finished>
  /** Resolves once stdout or stderr has shown `text`. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>
}

export interface RunOptions {
  readonly stdin?: string
  readonly env?: NodeJS.ProcessEnv
}

/** Processes started here and not yet ended, each the leader of its own group (so its children can be ended too). */
const live = new Set<ChildProcess>()

/** Ends (SIGKILL) every process group started here that is still running: a failed test leaves none behind. */
export function killStragglers(): void {
  for (const child of live) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  live.clear()
}

/** A process with its streams collected; its stdin is closed (or fed `stdin` and closed). */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Running {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, detached: true })
  live.add(child)
  child.once('exit', () => live.delete(child))
  let stdout = ''
  let stderr = ''
  const watchers: { text: string; stream: 'stdout' | 'stderr'; resolve: () => void }[] = []
  const check = (): void => {
    for (const watcher of [...watchers]) {
      if ((watcher.stream === 'stdout' ? stdout : stderr).includes(watcher.text)) {
        watchers.splice(watchers.indexOf(watcher), 1)
        watcher.resolve()
      }
    }
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    check()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    check()
  })
  child.stdin.on('error', () => undefined)
  child.stdin.end(options.stdin ?? '')
  const done = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return {
    child,
    done,
    waitFor(text, stream = 'stderr') {
      return new Promise((resolve, reject) => {
        watchers.push({ text, stream, resolve })
        check()
        void done.then((end) => reject(new Error(`exited (${end.code ?? end.signal}) before "${text}": ${end.stderr}`)), reject)
      })
    }
  }
}

/** `larder ARGS` from the built client, on the world's data folder (by --data-dir unless `env` names it). */
export function larder(world: Pick<TerminalWorld, 'cli' | 'dataDir'>, args: readonly string[], options: RunOptions & { byEnv?: boolean } = {}): Running {
  const env = { ...process.env, ...options.env }
  if (options.byEnv === true) return run(process.execPath, [world.cli, ...args], { ...options, env: { ...env, LARDER_DATA_DIR: world.dataDir } })
  delete env['LARDER_DATA_DIR']
  const split = args.indexOf('--')
  // `--data-dir` goes before an exec's `--`, where larder reads its own options.
  const withDir = split === -1 ? [...args, '--data-dir', world.dataDir] : [...args.slice(0, split), '--data-dir', world.dataDir, ...args.slice(split)]
  return run(process.execPath, [world.cli, ...withDir], { ...options, env })
}

export interface AgentProcess extends Running {
  readonly pid: number
  /** SIGTERM, then the process's end. */
  stop(): Promise<Finished>
}

/** `larder agent` (from source, as bin/larder.js runs it) on the world's folder; resolves once it says it is ready. */
export async function startAgent(world: Pick<TerminalWorld, 'dataDir' | 'passphraseFile'>): Promise<AgentProcess> {
  const agent = spawnAgent(world)
  await agent.waitFor('Larder agent ready')
  return agent
}

export function spawnAgent(world: Pick<TerminalWorld, 'dataDir' | 'passphraseFile'>): AgentProcess {
  const env = { ...process.env }
  delete env['LARDER_DATA_DIR']
  const running = run(process.execPath, [LARDER_BIN, 'agent', '--data-dir', world.dataDir, '--passphrase-file', world.passphraseFile], { env })
  return {
    ...running,
    pid: running.child.pid as number,
    stop() {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM')
      return running.done
    }
  }
}

/** The data folder's audit trail, one entry a line. */
export function auditEntries(dataDir: string): { action: string; libraryId?: string; outcome?: string; detail?: string }[] {
  const file = path.join(dataDir, 'audit.jsonl')
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { action: string; libraryId?: string; outcome?: string; detail?: string })
}

export function agentLog(dataDir: string): string {
  const file = path.join(dataDir, 'logs', 'agent.log')
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
}

/**
 * `larder` once per entry of `runs`, all at once, started by a launcher process of its own (hundreds of spawns from
 * the test process would stall the sandbox it hosts). Each process boots Node and then waits at a barrier; `release`
 * resolves once every one is waiting and lets them all go on into the command at the same moment.
 */
export function larderMany(world: Pick<TerminalWorld, 'cli' | 'dataDir' | 'root'>, runs: readonly { args: readonly string[]; byEnv?: boolean }[]): { release: () => Promise<void>; done: Promise<Finished[]> } {
  const barrier = fs.mkdtempSync(path.join(world.root, 'barrier-'))
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'LARDER_DATA_DIR') env[name] = value
  env['LARDER_DATA_DIR'] = world.dataDir
  env['LARDER_TEST_BARRIER'] = barrier
  const preload = ['--import', path.join(import.meta.dirname, 'terminal-barrier.mjs')]
  // Half by LARDER_DATA_DIR alone, half by --data-dir (which wins over the variable).
  const argvs = runs.map((one) => [...preload, world.cli, ...one.args, ...(one.byEnv === true ? [] : ['--data-dir', world.dataDir])])
  const launcher = run(process.execPath, [path.join(import.meta.dirname, 'terminal-launcher.ts')], { stdin: JSON.stringify({ file: process.execPath, runs: argvs, env }) })
  let ended = false
  const done = launcher.done.then((end) => {
    ended = true
    if (end.code !== 0) throw new Error(`the launcher failed (${end.code ?? end.signal}): ${end.stderr}`)
    return JSON.parse(end.stdout) as Finished[]
  })
  return {
    async release() {
      while (fs.readdirSync(barrier).filter((name) => name.startsWith('ready-')).length < runs.length) {
        if (ended) throw new Error('the launcher ended before every process was waiting')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      fs.writeFileSync(path.join(barrier, 'go'), '')
    },
    done
  }
}
