package index

import (
	"fmt"
	"strconv"
)

// formatDefault is git's INDEX_FORMAT_DEFAULT: version 3, written as 2
// when no entry needs the extended flags.
const formatDefault = 3

// VersionSettings are what decides the version of a new index.
type VersionSettings struct {
	// Env is GIT_INDEX_VERSION; nil when unset.
	Env *string
	// IndexVersion is the index.version config value; nil when unset.
	IndexVersion *int
	// ManyFiles is feature.manyFiles, which implies version 4 unless
	// index.version says otherwise.
	ManyFiles bool
}

// DefaultVersion picks the version for Options.DefaultVersion as git's
// get_index_format_default does. An invalid setting yields git's warning
// text (without "warning: ") and the built-in default.
//
//	v, warn := index.VersionSettings{Env: envPtr("GIT_INDEX_VERSION")}.DefaultVersion()
func (s VersionSettings) DefaultVersion() (uint32, string) {
	if s.Env == nil {
		version := formatDefault
		switch {
		case s.IndexVersion != nil:
			version = *s.IndexVersion
		case s.ManyFiles:
			version = 4
		}
		if version < 2 || version > 4 {
			return formatDefault, fmt.Sprintf("index.version set, but the value is invalid.\nUsing version %d", formatDefault)
		}
		return uint32(version), ""
	}
	version, err := strconv.ParseUint(*s.Env, 10, 32)
	if err != nil || version < 2 || version > 4 {
		return formatDefault, fmt.Sprintf("GIT_INDEX_VERSION set, but the value is invalid.\nUsing version %d", formatDefault)
	}
	return uint32(version), ""
}
