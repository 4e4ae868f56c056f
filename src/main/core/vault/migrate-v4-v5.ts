// Schema 4 → 5: keys of other systems (SafetyCulture, Airtable, admin-managed service tokens) beside the libraries, in
// their own table `keys` (file-format.ts), each token sealed and bound to its record (key-sealing.ts). A version 4 file
// has none: the step adds the empty table and carries everything else over as it is (every library, entry, setting
// and sealed value unchanged; nothing is sealed again). The vault keeps the original as `.v4.bak`. The step exists so
// that an older Larder, which does not know the table and would drop it at its next write, refuses a version 5 file.
import type { Migration } from './migrations.ts'

export const MIGRATE_V4_TO_V5: Migration = {
  from: 4,
  to: 5,
  migrate(data) {
    // An empty table is what the step adds anyway (a file written since, labelled older by hand); keys are not.
    const keys = data['keys']
    if (keys !== undefined && (typeof keys !== 'object' || keys === null || Object.keys(keys).length > 0)) {
      throw new Error('a version 4 file cannot already have keys')
    }
    return { ...data, keys: {} }
  }
}
