// The libraries Larder holds a pair for, as the duplicate rule (shared/duplicate-library.ts) compares them: records,
// not the libraries reached through a personal token (they have no client ID or token of their own).
import { useMemo } from 'react'
import type { LibraryListView } from '../../../../shared/contract.ts'
import { useApp } from '../../store/provider.tsx'

export function heldRecords(byId: Readonly<Record<string, LibraryListView>>): LibraryListView[] {
  return Object.values(byId).filter((library) => library.personal?.role !== 'library')
}

export function useHeldLibraries(): LibraryListView[] {
  const byId = useApp((state) => state.byId)
  return useMemo(() => heldRecords(byId), [byId])
}
