// Recipes and outlets of each library, derived on demand from (seed, library) so that adding
// thousands of libraries costs nothing until one is listed. Names carry the library name so a
// test can tell which library answered.

import { createHash } from 'node:crypto'
import type { Library } from './state.ts'

export interface Recipe {
  /** A string, as in the public OpenAPI profile (outlets' ids are strings too). */
  id: string
  uid: string
  name: string
  category: string
  sell_price: number
  created_date: string
}

export interface Outlet {
  id: string
  name: string
  custom_fields: Record<string, string>
}

const DISHES = [
  'Steak frites',
  'Vol-au-vent',
  'Waterzooi',
  'Risotto ai funghi',
  'Tomato soup',
  'Croque monsieur',
  'Tiramisu',
  'Moules marinières',
  'Caesar salad',
  'Crème brûlée',
  'Lasagne',
  'Shrimp croquettes'
]
const CATEGORIES = ['Starter', 'Main', 'Dessert', 'Soup', 'Side']
const OUTLET_KINDS = ['Kitchen', 'Terrace', 'Bar', 'Takeaway']
const CREATED_BASE = Date.UTC(2024, 0, 15, 9, 30)

export class Catalog {
  private readonly seed: number
  private readonly recipes = new Map<number, Recipe[]>()

  constructor(seed: number) {
    this.seed = seed
  }

  recipesOf(library: Library): Recipe[] {
    const cached = this.recipes.get(library.id)
    if (cached !== undefined) return cached
    const list: Recipe[] = []
    for (let i = 1; i <= library.recipeCount; i++) {
      const h = this.hash(`recipe:${library.id}:${i}`)
      list.push({
        id: String(library.id * 1000 + i),
        uid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
        name: `${pick(DISHES, h, 0)} · ${library.name} #${i}`,
        category: pick(CATEGORIES, h, 8),
        sell_price: (800 + (parseInt(h.slice(16, 22), 16) % 2200)) / 100,
        created_date: new Date(CREATED_BASE + i * 86_400_000).toISOString()
      })
    }
    this.recipes.set(library.id, list)
    return list
  }

  outletsOf(library: Library): Outlet[] {
    const list: Outlet[] = []
    for (let i = 1; i <= library.outletCount; i++) {
      list.push({
        id: String(library.id * 100 + i),
        name: `${library.name} ${OUTLET_KINDS[(i - 1) % OUTLET_KINDS.length] ?? 'Outlet'}`,
        custom_fields: { cost_center: `CC-${library.id}-${i}` }
      })
    }
    return list
  }

  private hash(text: string): string {
    return createHash('sha256').update(`${this.seed}:${text}`).digest('hex')
  }
}

function pick(list: readonly string[], hex: string, at: number): string {
  return list[parseInt(hex.slice(at, at + 8), 16) % list.length] ?? list[0] ?? ''
}
