//go:build !linux

package index

import "io/fs"

// statFromFileInfo fills what the portable FileInfo offers; ctime, dev,
// ino, uid and gid stay zero off Linux (not yet supported there).
func statFromFileInfo(info fs.FileInfo) Stat {
	return statFromPortable(info)
}
