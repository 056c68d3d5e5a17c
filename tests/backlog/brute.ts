// A second oracle, for the constraints: every assignment of every candidate to "not funded" or a
// year, enumerated (small backlogs only), each checked against the constraints as atoms written
// here from the plan's rules (docs in src/backlog/types.ts), apart from the plan core.
import type { PlanInput, PlanItem } from '../../src/backlog/types.ts'

export type Atom =
  | { kind: 'budget'; subject: string; year: number; yuan: number }
  | { kind: 'must' | 'keep_approved' | 'exclude'; subject: string }
  | { kind: 'category_min' | 'category_max'; subject: string; share: number }
  | { kind: 'street_floor'; subject: string; yuan: number }
  | { kind: 'exclusive'; subject: string; codes: string[] }
  | { kind: 'precedence'; subject: string; before: string; after: string; blocked: boolean }

export const atomKey = (a: { kind: string; subject: string }) => `${a.kind}:${a.subject}`

/** The constraints of an input as atoms, by the plan's rules. */
export function atomsOf(input: PlanInput): Atom[] {
  const atoms: Atom[] = input.budgets.map((yuan, y) => ({ kind: 'budget', subject: String(y + 1), year: y, yuan }))
  const c = input.constraints ?? {}
  const must = new Set(c.must ?? [])
  const exclude = new Set(c.exclude ?? [])
  const status = new Map(input.items.map((i) => [i.code, i.status]))
  for (const code of must) atoms.push({ kind: 'must', subject: code })
  if (c.keepApproved !== false)
    for (const i of input.items) if (i.status === 'approved' && !must.has(i.code) && !exclude.has(i.code)) atoms.push({ kind: 'keep_approved', subject: i.code })
  for (const code of exclude) atoms.push({ kind: 'exclude', subject: code })
  for (const s of c.categoryShare ?? []) {
    if (s.min !== undefined && s.min > 0) atoms.push({ kind: 'category_min', subject: s.category, share: s.min })
    if (s.max !== undefined && s.max < 1) atoms.push({ kind: 'category_max', subject: s.category, share: s.max })
  }
  for (const f of c.streetFloor ?? []) if (f.min_yuan > 0) atoms.push({ kind: 'street_floor', subject: f.street_code, yuan: f.min_yuan })
  for (const g of c.exclusive ?? []) atoms.push({ kind: 'exclusive', subject: [...g].sort().join(','), codes: g })
  for (const i of input.items) {
    if (i.status !== 'proposed' && i.status !== 'approved') continue
    for (const d of i.depends_on) {
      const s = status.get(d)
      if (s === 'in_progress' || s === 'done') continue
      atoms.push({ kind: 'precedence', subject: `${d}→${i.code}`, before: d, after: i.code, blocked: s === 'rejected' })
    }
  }
  return atoms
}

/** Whether a plan (code → 0-based year, absent: not funded) keeps the atom. */
export function keeps(atom: Atom, items: PlanItem[], year: Map<string, number>): boolean {
  const spent = (pick: (i: PlanItem) => boolean) => items.filter((i) => year.has(i.code) && pick(i)).reduce((s, i) => s + i.cost_yuan, 0)
  switch (atom.kind) {
    case 'budget':
      return spent((i) => year.get(i.code) === atom.year) <= atom.yuan
    case 'must':
    case 'keep_approved':
      return year.has(atom.subject)
    case 'exclude':
      return !year.has(atom.subject)
    case 'category_min':
    case 'category_max': {
      // in whole yuan × basis points: exact
      const bp = Math.round(atom.share * 10000)
      const part = spent((i) => i.category === atom.subject) * 10000
      const whole = spent(() => true) * bp
      return atom.kind === 'category_min' ? part >= whole : part <= whole
    }
    case 'street_floor':
      return spent((i) => i.street_code === atom.subject) >= atom.yuan
    case 'exclusive':
      return atom.codes.filter((c) => year.has(c)).length <= 1
    case 'precedence':
      if (!year.has(atom.after)) return true
      if (atom.blocked) return false
      return year.has(atom.before) && year.get(atom.before)! <= year.get(atom.after)!
  }
}

/** The best total score (hundredths) over every assignment keeping all the atoms; null: none does. */
export function bruteForce(items: PlanItem[], years: number, atoms: Atom[]): number | null {
  const open = items.filter((i) => i.status === 'proposed' || i.status === 'approved')
  const choice = new Array<number>(open.length).fill(0)
  let best: number | null = null
  const year = new Map<string, number>()
  for (;;) {
    year.clear()
    let points = 0
    for (let k = 0; k < open.length; k++)
      if (choice[k] > 0) {
        year.set(open[k].code, choice[k] - 1)
        points += Math.round(open[k].score * 100)
      }
    if ((best === null || points > best) && atoms.every((a) => keeps(a, items, year))) best = points
    let k = 0
    while (k < open.length && choice[k] === years) choice[k++] = 0
    if (k === open.length) return best
    choice[k]++
  }
}
