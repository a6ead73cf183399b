package gitcmd

// readsObjects are the subcommands whose answers depend on object
// contents git reads through replace refs (peeling, types, commit and
// tree contents, parents): gitapi does not apply replace refs yet, so
// Run hands these to git when the repository has any in effect.
var readsObjects = map[string]bool{
	"rev-parse": true, "cat-file": true, "for-each-ref": true, "ls-tree": true, "merge-base": true,
	"diff-index": true, "commit-tree": true, "show-ref": true, "mktree": true, "apply": true,
	"rev-list": true, "read-tree": true, "checkout-index": true, "rm": true,
}

// readsWorkTree are the subcommands whose answers or index writes
// depend on work tree content seen through attributes and core.autocrlf
// (hashing files, racy-clean checks when the index is written): Run hands
// them to git when Repo.MayConvertAny says conversions may apply.
var readsWorkTree = map[string]bool{
	"write-tree": true, "update-index": true, "diff-files": true, "diff-index": true,
	"read-tree": true, "checkout-index": true, "rm": true,
}

// readsIndexFile are the subcommands that open the index file themselves
// rather than through Repo.OpenIndex and Repo.LockIndex: an index a
// gitapi.Session holds in memory is written to its file before they run
// and read again after.
var readsIndexFile = map[string]bool{"update-index": true, "apply": true}
