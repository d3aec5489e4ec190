/** Names close to a mistyped one (registries, tags), by edit distance, for "did you mean". */

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * Up to `limit` candidates nearest to `wanted` (case-insensitive), nearest first; only those
 * within a distance that still looks like a typo (a third of the longer name, at least 2), or
 * that contain it or are contained in it.
 */
export function closest(wanted: string, candidates: string[], limit: number): string[] {
  const w = wanted.toLowerCase();
  return candidates
    .map((name) => ({ name, distance: editDistance(w, name.toLowerCase()) }))
    .filter(({ name, distance }) => {
      const n = name.toLowerCase();
      return n !== w && (distance <= Math.max(2, Math.floor(Math.max(n.length, w.length) / 3)) || n.includes(w) || w.includes(n));
    })
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map(({ name }) => name);
}
