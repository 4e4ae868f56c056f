// Schema 2 → 3: the journal. From version 3 a batch of changes is appended to `<vault>.journal` instead of
// rewriting the whole file, and the file names the journal generation that continues it. A version 2 file has
// no journal (`journal: null`); everything else is carried over as it is. The step exists so that an older
// Larder, which would ignore the journal and so miss the newest tokens, refuses a version 3 file outright.
import type { Migration } from './migrations.ts'

export const MIGRATE_V2_TO_V3: Migration = {
  from: 2,
  to: 3,
  migrate(data) {
    if ('journal' in data) throw new Error('a version 2 file cannot already have "journal"')
    return { ...data, journal: null }
  }
}
