package index

import (
	"io/fs"
	"syscall"
)

// statFromFileInfo fills Stat from lstat data exactly as git's
// fill_stat_data does: every field truncated to 32 bits.
func statFromFileInfo(info fs.FileInfo) Stat {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return statFromPortable(info)
	}
	return Stat{
		CtimeSec: uint32(st.Ctim.Sec), CtimeNsec: uint32(st.Ctim.Nsec),
		MtimeSec: uint32(st.Mtim.Sec), MtimeNsec: uint32(st.Mtim.Nsec),
		Dev: uint32(st.Dev), Ino: uint32(st.Ino),
		UID: st.Uid, GID: st.Gid,
		Size: uint32(st.Size),
	}
}
