// The shapes of the terminal calls' answers, from the contract the server checks them against. Type-only imports:
// they vanish from the built command, which must not load a schema library.
import type { TerminalAnswers } from '../../shared/contract/terminal.ts'

export type { TerminalRow, TerminalStatus } from '../../shared/contract/terminal.ts'
export type TokenAnswer = TerminalAnswers['token']
export type EnvAnswer = TerminalAnswers['env']
export type ListAnswer = TerminalAnswers['ls']
export type ImportAnswer = TerminalAnswers['import']
