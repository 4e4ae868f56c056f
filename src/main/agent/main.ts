// `larder agent`: starts the headless host, says so on stderr (stdout stays empty), and runs until SIGTERM or SIGINT,
// then closes in order (a refresh in flight finishes writing its new pair before the process ends).
import fs from 'node:fs'
import path from 'node:path'
import { EXIT_CODES } from '../../shared/terminal-words.ts'
import type { Io } from '../cli/commands.ts'
import { passphraseFrom } from '../node/passphrase-input.ts'
import { startAgentHost } from './agent-host.ts'
import { dataFolders } from '../cli/data-folder.ts'
import { TEAM_DATABASE_VARIABLE } from '../cli/team.ts'
import type { LarderApp } from '../app/create-app.ts'
import { teamDatabaseOverride } from '../app/team/team-mode.ts'
import { redactedUrl, teamConnectionOptions } from '../core/team/db/connection-config.ts'

export interface AgentArgs {
  readonly dataDir: string | undefined
  readonly passphraseFile: string | undefined
}

/** The package's version, from the package.json above this file (source) or above the bundle (built). */
function packageVersion(): string {
  for (let dir = import.meta.dirname, up = 0; up < 5; up++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'larder' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // Not here; one folder up.
    }
  }
  return 'unknown'
}

const EXIT_BY_ERROR: Readonly<Record<string, number>> = {
  DataFolderHeldError: EXIT_CODES.folderHeld,
  UnsafeEndpointError: EXIT_CODES.unsafeEndpoint,
  AgentVaultError: EXIT_CODES.locked,
  // A wrong passphrase (the vault stays locked).
  InputError: EXIT_CODES.locked,
  PassphraseSourceError: EXIT_CODES.usage
}

export async function runAgent(args: AgentArgs, io: Io): Promise<number> {
  const dataDir = dataFolders(args.dataDir)[0] as string
  // A team database URL Larder would refuse (TLS not verified off this computer, parameters it sets itself) stops the
  // agent before it opens anything: the app would otherwise open offline and say why only in its Team view.
  const teamUrl = teamDatabaseOverride(process.env)
  if (teamUrl !== undefined) {
    try {
      teamConnectionOptions({ url: teamUrl }, 'larder')
    } catch (error) {
      io.err(`larder: ${TEAM_DATABASE_VARIABLE} is refused: ${error instanceof Error ? error.message : String(error)}\n`)
      return EXIT_CODES.usage
    }
  }
  let agent
  try {
    agent = await startAgentHost({
      dataDir,
      version: packageVersion(),
      passphrase: () => passphraseFrom({ file: args.passphraseFile }),
      ...(teamUrl === undefined ? {} : { teamDatabaseUrl: teamUrl })
    })
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    io.err(`larder: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT_BY_ERROR[name] ?? EXIT_CODES.internal
  }
  if (teamUrl !== undefined) io.err(`${await teamUrlNote(agent.app, teamUrl)}\n`)
  io.err(`Larder agent ready on ${agent.dataDir} (pid ${process.pid})\n`)
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  io.err(`Larder agent stopping (${signal})…\n`)
  await agent.close()
  return EXIT_CODES.ok
}

/** What became of LARDER_TEAM_DATABASE_URL: used for this vault's team, or not (no team here), its password left out. */
async function teamUrlNote(app: LarderApp, url: string): Promise<string> {
  const view = await app.actions()?.team.state().catch(() => null)
  return view?.membership === 'member'
    ? `Team database: ${redactedUrl(url)} (from ${TEAM_DATABASE_VARIABLE}, instead of the one saved when this machine joined).`
    : `${TEAM_DATABASE_VARIABLE} is set, but this vault is in no team: it is not used (larder team create or join read it).`
}
