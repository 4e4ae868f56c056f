// What `larder … LIB` means: the exact Larder id, else the exact Apicbase library id, else the name (any case), else
// the one name starting with it; none or several is a not_found error carrying up to 10 candidates.
import { describe, expect, it } from 'vitest'
import { findLibrary, LibraryChoiceError, MAX_CANDIDATES, type Findable } from '../../../src/main/app/use-cases/find-library.ts'

const LIBRARIES: Findable[] = [
  { id: 'lib-acme', name: 'Acme Kitchen', apicbaseLibraryId: '1001' },
  { id: 'lib-acme-2', name: 'Acme Bakery', apicbaseLibraryId: '1002' },
  { id: 'lib-bistro', name: 'Bistro Nord', apicbaseLibraryId: '1003' },
  // Its name is another library's Apicbase id: the id wins, as the order says.
  { id: 'lib-odd', name: '1003', apicbaseLibraryId: null },
  { id: '1001', name: 'Zuid', apicbaseLibraryId: '2001' }
]

function refusal(wanted: string, libraries: readonly Findable[] = LIBRARIES): LibraryChoiceError {
  try {
    findLibrary(libraries, wanted)
  } catch (error) {
    if (error instanceof LibraryChoiceError) return error
    throw error
  }
  throw new Error(`"${wanted}" was found`)
}

describe('findLibrary', () => {
  it('takes the exact Larder id first, even over an Apicbase id that is the same text', () => {
    expect(findLibrary(LIBRARIES, '1001').id).toBe('1001')
    expect(findLibrary(LIBRARIES, 'lib-bistro').id).toBe('lib-bistro')
  })

  it('then the exact Apicbase library id, over a name that is the same text', () => {
    expect(findLibrary(LIBRARIES, '1002').id).toBe('lib-acme-2')
    expect(findLibrary(LIBRARIES, '1003').id).toBe('lib-bistro')
  })

  it('then the whole name in any case, then the one name starting with it', () => {
    expect(findLibrary(LIBRARIES, 'bistro nord').id).toBe('lib-bistro')
    expect(findLibrary(LIBRARIES, 'ACME KITCHEN').id).toBe('lib-acme')
    expect(findLibrary(LIBRARIES, 'bis').id).toBe('lib-bistro')
    expect(findLibrary(LIBRARIES, 'Acme B').id).toBe('lib-acme-2')
  })

  it('a whole name wins over a longer name it starts', () => {
    const libraries = [...LIBRARIES, { id: 'lib-acme-k2', name: 'Acme Kitchen 2', apicbaseLibraryId: '1009' }]
    expect(findLibrary(libraries, 'acme kitchen').id).toBe('lib-acme')
  })

  it('several matches: not_found listing each of them', () => {
    const error = refusal('acme')
    expect(error.message).toMatch(/"acme" matches 2 libraries/)
    expect(error.candidates).toEqual([
      { id: 'lib-acme', name: 'Acme Kitchen', apicbaseLibraryId: '1001' },
      { id: 'lib-acme-2', name: 'Acme Bakery', apicbaseLibraryId: '1002' }
    ])
  })

  it('several Apicbase ids alike: not_found listing both', () => {
    const libraries = [...LIBRARIES, { id: 'lib-acme-personal', name: 'Acme via Pat', apicbaseLibraryId: '1001' }]
    expect(refusal('1001', libraries.filter((library) => library.id !== '1001')).candidates.map((c) => c.id)).toEqual(['lib-acme', 'lib-acme-personal'])
  })

  it('no match: not_found with the nearest names, at most 10, and none that share nothing', () => {
    const error = refusal('Bistro Sud')
    expect(error.message).toBe('No library matches "Bistro Sud".')
    expect(error.candidates[0]).toEqual({ id: 'lib-bistro', name: 'Bistro Nord', apicbaseLibraryId: '1003' })
    expect(error.candidates.map((c) => c.id)).not.toContain('lib-odd')
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `l${i}`, name: `Cafe ${i}`, apicbaseLibraryId: String(i) }))
    const near = refusal('Cafe Zuid', many)
    expect(near.candidates).toHaveLength(MAX_CANDIDATES)
    const several = refusal('cafe', many)
    expect(several.message).toMatch(/matches 40 libraries/)
    expect(several.candidates).toHaveLength(MAX_CANDIDATES)
  })
})
