// Arithmetic the generator's modules share.

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)

export const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value))

/** 0, 1, …, count − 1. */
export const range = (count: number): number[] => Array.from({ length: count }, (_, k) => k)

/**
 * Splits `total` into whole parts proportional to `weights` by largest remainder, so the parts add
 * up to `total` exactly: the residents of a community are the sum of its residences' residents.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const weightSum = sum(weights)
  const shares = weights.map((weight) => (total * weight) / weightSum)
  const parts = shares.map(Math.floor)
  let rest = total - sum(parts)
  const byRemainder = shares
    .map((share, k) => [share - Math.floor(share), k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let n = 0; rest > 0; n++, rest--) parts[byRemainder[n % byRemainder.length][1]]++
  return parts
}
