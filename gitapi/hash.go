package gitapi

import (
	"encoding/hex"
	"fmt"
)

// Hash is a SHA-1 object id.
type Hash [20]byte

// ZeroHash is the all-zero id git uses for "no object" (a ref that does
// not exist yet, in reflogs and update-ref old values).
var ZeroHash Hash

// HexSize is the length of a full object id in hex.
const HexSize = 40

// String returns the id as 40 lower-case hex digits.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the all-zero id.
func (h Hash) IsZero() bool { return h == ZeroHash }

// ParseHash parses a full 40-digit hex object id.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != HexSize || !isHex(s) {
		return h, fmt.Errorf("not a full object id: %q", s)
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err
}

// isHex reports whether s is non-empty and made of hex digits only.
func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
