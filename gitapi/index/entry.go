package index

import "fmt"

// Put adds e as git's add_index_entry does (what "git apply --index"
// and "--cached" use): it replaces an entry at the same path and stage,
// a stage 0 entry replaces the path's conflict stages, a new path needs
// okToAdd, and a file/directory clash needs okToReplace. The cache tree
// is invalidated along e.Path. e.Mode is normalised; e must not be
// changed by the caller afterwards.
//
//	e := &index.Entry{Path: "README", Mode: index.ModeRegular, ID: blob}
//	if err := ix.FillStat(e); err != nil { return err } // "apply --index"; skip for "--cached"
//	if err := ix.Put(e, true, false); err != nil { return err }
func (ix *Index) Put(e *Entry, okToAdd, okToReplace bool) error {
	if e.Stage < 0 || e.Stage > 3 {
		return fmt.Errorf("index: stage %d out of range for '%s'", e.Stage, e.Path)
	}
	e.Mode = NormalizeMode(e.Mode)
	return ix.addEntry(e, okToAdd, okToReplace)
}

// FillStat records the work tree file's lstat data in e, as git does
// for an entry it has just written or hashed from the file; such an
// entry (a regular file) is never smudged as racily clean by this
// process's next write.
func (ix *Index) FillStat(e *Entry) error {
	if ix.Options.WorkTree == "" {
		return fmt.Errorf("index: no work tree to stat '%s'", e.Path)
	}
	info, err := ix.Options.lstat(e.Path)
	if err != nil {
		return err
	}
	e.Stat = statFromFileInfo(info)
	e.upToDate = info.Mode().IsRegular()
	return nil
}
