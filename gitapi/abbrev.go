package gitapi

import (
	"math/bits"
	"strconv"
	"strings"
)

// fallbackAbbrev is the shortest length git's automatic abbreviation
// picks.
const fallbackAbbrev = 7

// autoAbbrev is the abbreviation length git uses when core.abbrev is
// unset or "auto": half the bit length of the number of packed objects
// (loose ones are not counted, as git does not count them, nor the packs
// a session wrote in their stead), in hex
// digits rounded up, and at least 7.
func (r *Repo) autoAbbrev() int {
	packs, err := r.shared.objects.openPacks(false)
	if err != nil {
		return fallbackAbbrev
	}
	var count uint64
	for _, p := range packs {
		if p.loose {
			// Written for objects git keeps loose, which git's
			// approximate count does not see.
			continue
		}
		if n, err := p.idx.Count(); err == nil {
			count += uint64(n)
		}
	}
	return max((bits.Len64(count)+1)/2, fallbackAbbrev)
}

// DefaultAbbrev is the abbreviation length git uses: core.abbrev, or
// one that grows with the number of objects (7 for small repositories).
func (r *Repo) DefaultAbbrev() int {
	cfg, err := r.Config()
	if err != nil {
		return 7
	}
	v, ok := cfg.Get("core.abbrev")
	if !ok || strings.EqualFold(v, "auto") {
		return r.autoAbbrev()
	}
	if b, err := ParseBool(v, true); err == nil && !b && v != "" && !isDigit(v[0]) {
		return HexSize
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinAbbrev || n > HexSize {
		return 7
	}
	return n
}

// UniqueAbbrev returns the shortest prefix of id, at least n digits, that
// names no other object.
func (r *Repo) UniqueAbbrev(id Hash, n int) string {
	hex := id.String()
	for l := n; l < HexSize; l++ {
		ids, err := r.shared.objects.withPrefix(hex[:l])
		if err == nil && len(ids) <= 1 {
			return hex[:l]
		}
	}
	return hex
}

// AbbrevOrFull abbreviates id to at least n digits, or returns it whole
// for n == 0.
func (r *Repo) AbbrevOrFull(id Hash, n int) string {
	if n == 0 {
		return id.String()
	}
	return r.UniqueAbbrev(id, n)
}
