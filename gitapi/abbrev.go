package gitapi

import "math/bits"

// fallbackAbbrev is the shortest length git's automatic abbreviation
// picks.
const fallbackAbbrev = 7

// autoAbbrev is the abbreviation length git uses when core.abbrev is
// unset or "auto": half the bit length of the number of packed objects
// (loose ones are not counted, as git does not count them), in hex
// digits rounded up, and at least 7.
func (r *Repo) autoAbbrev() int {
	packs, err := r.shared.objects.openPacks(false)
	if err != nil {
		return fallbackAbbrev
	}
	var count uint64
	for _, p := range packs {
		if n, err := p.idx.Count(); err == nil {
			count += uint64(n)
		}
	}
	return max((bits.Len64(count)+1)/2, fallbackAbbrev)
}
