package gitcmd

import "sort"

// face is one subcommand of Run.
type face struct {
	// run runs the subcommand with its arguments (without the name) and
	// returns git's exit status.
	run func(c *command, args []string) int
	// parses reports whether the face parses the arguments, that is
	// implements every option and form given; nil when it parses all.
	parses func(args []string) bool
}

// faces are the subcommands Run implements: the one registration table.
var faces = map[string]face{
	"apply":          {(*command).apply, applyArgs.parses},
	"cat-file":       {(*command).catFile, catFileArgs.parses},
	"checkout-index": {(*command).checkoutIndex, checkoutIndexParser.parses},
	"commit-tree":    {(*command).commitTree, commitTreeArgs.parses},
	"config":         {(*command).config, configArgs.parses},
	"diff-files":     {(*command).diffFiles, diffFilesParses},
	"diff-index":     {(*command).diffIndex, diffIndexParses},
	"for-each-ref":   {(*command).forEachRef, forEachRefArgs.parses},
	"hash-object":    {(*command).hashObject, hashObjectArgs.parses},
	"ls-files":       {(*command).lsFiles, lsFilesParses},
	"ls-tree":        {(*command).lsTree, lsTreeArgs.parses},
	"mailinfo":       {(*command).mailinfo, nil},
	"merge-base":     {(*command).mergeBase, mergeBaseArgs.parses},
	"mktree":         {(*command).mkTree, nil},
	"read-tree":      {(*command).readTree, readTreeParser.parses},
	"rev-list":       {(*command).revList, revListParses},
	"rev-parse":      {(*command).revParse, revParseParses},
	"rm":             {(*command).rm, rmParser.parses},
	"show-ref":       {(*command).showRef, showRefArgs.parses},
	"symbolic-ref":   {(*command).symbolicRef, nil},
	"update-index":   {(*command).updateIndex, updateIndexParses},
	"update-ref":     {(*command).updateRef, updateRefArgs.parses},
	"var":            {(*command).varCmd, nil},
	"write-tree":     {(*command).writeTree, writeTreeArgs.parses},
}

// Commands lists the subcommands Run implements, sorted.
func Commands() []string {
	names := make([]string, 0, len(faces))
	for name := range faces {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
