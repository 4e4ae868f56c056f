// Which terminal session this command runs in, so the app can ask once per session, not once per command. On Linux
// the kernel's session id and controlling terminal (and the session leader's start time, so a reused id is a new
// session); elsewhere the parent process, which is the shell for a command typed or run by a script.
import fs from 'node:fs'
import type { ClientFacts } from '../../shared/terminal-words.ts'

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number | 'self'): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** `linux:sid=…;tty=…;start=…`, or null where /proc does not answer. */
export function linuxSession(): string | null {
  const own = statFields('self')
  // After the name: state(0) ppid(1) pgrp(2) session(3) tty_nr(4) … starttime(19).
  const sid = own?.[3]
  const tty = own?.[4]
  if (sid === undefined || tty === undefined) return null
  const start = statFields(Number(sid))?.[19] ?? '0'
  return `linux:sid=${sid};tty=${tty};start=${start}`
}

/** The controlling terminal's name (`pts/3`), when stdin is one. */
function ttyName(): string | null {
  if (!process.stdin.isTTY) return null
  try {
    return fs.readlinkSync('/proc/self/fd/0').replace(/^\/dev\//, '')
  } catch {
    return 'tty'
  }
}

/**
 * The parent program's name as a person knows it (`bash`, `node`, `make`): the base name of its argv[0] only, never its
 * other arguments (they may hold anything). Not `comm`: Node names its main thread "MainThread".
 */
function parentName(): string | undefined {
  try {
    const argv0 = fs.readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0')[0] ?? ''
    // A login shell's argv[0] is "-bash".
    const name = (argv0.split('/').at(-1) ?? '').replace(/^-/, '').slice(0, 64)
    return /^[\w.+@-]+$/.test(name) ? name : undefined
  } catch {
    return undefined
  }
}

export function clientFacts(command: string): ClientFacts {
  const session = (process.platform === 'linux' ? linuxSession() : null) ?? `${process.platform}:ppid=${process.ppid}`
  const parent = process.platform === 'linux' ? parentName() : undefined
  return { pid: process.pid, ppid: process.ppid, session, tty: ttyName(), cwd: process.cwd(), command, ...(parent === undefined ? {} : { parent }) }
}
