// How a team database URL becomes the client's options (issue 16): certificates and names always verified for a
// server on another computer, whatever the URL's sslmode says; TLS optional on loopback; every other parameter is
// Larder's to set; no error ever shows the password.
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { isLoopbackHost, redactedUrl, teamConnectionOptions } from '../../../src/main/core/team/db/connection-config.ts'

const PASSWORD = 's3cr3t-Pa55'
const options = (url: string, caPem?: string) => teamConnectionOptions(caPem === undefined ? { url } : { url, caPem }, 'larder-member')

function refused(url: string): InputError {
  try {
    options(url)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`expected ${url} to be refused`)
}

describe('a team database URL', () => {
  it('for another computer: TLS with the certificate and its name verified, the CA given in Settings used', () => {
    const remote = options(`postgresql://larder:${PASSWORD}@db.partner.example:6432/team`, '-----BEGIN CERTIFICATE-----\n…')
    expect(remote).toMatchObject({ host: 'db.partner.example', port: 6432, database: 'team', user: 'larder', password: PASSWORD, application_name: 'larder-member' })
    expect(remote.ssl).toEqual({ rejectUnauthorized: true, ca: '-----BEGIN CERTIFICATE-----\n…' })
    expect(options(`postgres://larder:${PASSWORD}@db.partner.example/team?sslmode=verify-full`).ssl).toEqual({ rejectUnauthorized: true })
    expect(options(`postgresql://larder:${PASSWORD}@203.0.113.7/team`)).toMatchObject({ host: '203.0.113.7', ssl: { rejectUnauthorized: true } })
    expect(options(`postgresql://larder@[2001:db8::1]:5433/team`)).toMatchObject({ host: '2001:db8::1', port: 5433, ssl: { rejectUnauthorized: true } })
  })

  it('for another computer: an sslmode that would skip the check is refused, naming the fix, never the password', () => {
    for (const mode of ['disable', 'allow', 'prefer', 'require', 'verify-ca']) {
      const error = refused(`postgresql://larder:${PASSWORD}@db.partner.example/team?sslmode=${mode}`)
      expect(error.field).toBe('teamDatabaseUrl')
      expect(error.message).toContain(`sslmode=${mode} would not check the server's certificate`)
      expect(error.message).toContain('give that CA in Settings')
      expect(error.message).not.toContain(PASSWORD)
      expect(error.message).toContain('***')
    }
  })

  it('on this computer: plain unless the URL asks for verify-full', () => {
    expect(options(`postgresql://larder:${PASSWORD}@127.0.0.1:5432/team`).ssl).toBe(false)
    expect(options(`postgresql://larder:${PASSWORD}@localhost/team?sslmode=disable`).ssl).toBe(false)
    expect(options(`postgresql://larder:${PASSWORD}@localhost/team?sslmode=verify-full`).ssl).toEqual({ rejectUnauthorized: true })
    expect(isLoopbackHost('127.8.0.1')).toBe(true)
    expect(isLoopbackHost('::1')).toBe(true)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.partner.example')).toBe(false)
  })

  it('reads a percent-encoded password and user, and defaults the port to 5432 and the database to the user', () => {
    const parsed = options('postgresql://team%20member:p%40ss%2Fword@db.partner.example')
    expect(parsed).toMatchObject({ user: 'team member', password: 'p@ss/word', port: 5432, database: 'team member' })
    expect(options('postgresql://larder@db.partner.example/team').password).toBeUndefined()
  })

  it('is refused naming what is wrong, and the message never holds the password', () => {
    const cases: [string, string][] = [
      ['not a url', 'is not a URL'],
      [`mysql://larder:${PASSWORD}@db.partner.example/team`, 'is not a PostgreSQL URL'],
      [`postgresql://:${PASSWORD}@db.partner.example/team`, 'names no user'],
      [`postgresql://larder:${PASSWORD}@db.partner.example/team?application_name=x`, 'remove application_name='],
      [`postgresql://larder:${PASSWORD}@db.partner.example/team?sslrootcert=/tmp/ca.pem`, 'remove sslrootcert='],
      [`postgresql://larder:${PASSWORD}@db.partner.example/team?sslmode=verify-everything`, 'is not a mode PostgreSQL knows']
    ]
    for (const [url, says] of cases) {
      const error = refused(url)
      expect(error.message, url).toContain(says)
      expect(error.message, url).not.toContain(PASSWORD)
    }
    expect(redactedUrl(`postgresql://larder:${PASSWORD}@db.partner.example/team`)).toBe('postgresql://larder:***@db.partner.example/team')
  })
})
