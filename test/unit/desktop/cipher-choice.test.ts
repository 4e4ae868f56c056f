import { describe, expect, it } from 'vitest'
import { decideCipherKind, type KeychainFacts } from '../../../src/main/core/desktop/cipher-choice.ts'

describe('decideCipherKind', () => {
  it.each<[KeychainFacts, 'safe-storage' | 'passphrase']>([
    [{ platform: 'darwin', encryptionAvailable: true }, 'safe-storage'],
    [{ platform: 'win32', encryptionAvailable: true }, 'safe-storage'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' }, 'safe-storage'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet6' }, 'safe-storage'],
    // Electron reports encryption as available with basic_text, but its key is a fixed one.
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' }, 'passphrase'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' }, 'passphrase'],
    [{ platform: 'linux', encryptionAvailable: true }, 'passphrase'],
    [{ platform: 'linux', encryptionAvailable: false, linuxBackend: 'gnome_libsecret' }, 'passphrase'],
    [{ platform: 'darwin', encryptionAvailable: false }, 'passphrase']
  ])('%j → %s', (facts, kind) => {
    expect(decideCipherKind(facts).kind).toBe(kind)
  })

  it('explains the passphrase in words', () => {
    expect(decideCipherKind({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' }).reason).toMatch(/basic_text.*passphrase/)
  })
})
