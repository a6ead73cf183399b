package translate

import (
	"testing"

	"github.com/kiln-dev/kiln/shellparse"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		inv  shellparse.Invocation
		want shellparse.Category
	}{
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "var"}, shellparse.CategoryInProcess},
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "var", Flags: []string{"-l"}}, shellparse.CategoryInProcess},
		// A flag gitapi's face does not serve keeps the call in git.
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "update-ref", Flags: []string{"--stdin"}}, shellparse.CategoryNeedsGitapi},
		// So do git's own options, such as -C.
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "var", GlobalFlags: []string{"-C"}}, shellparse.CategoryNeedsGitapi},
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "rev-list"}, shellparse.CategoryNeedsGitapi},
		// gitapi's own registry: commit-tree is served, signing is not.
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "commit-tree", Flags: []string{"-p"}}, shellparse.CategoryInProcess},
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "commit-tree", Flags: []string{"-S"}}, shellparse.CategoryNeedsGitapi},
		{shellparse.Invocation{Kind: shellparse.KindGit, Subcommand: "web--browse"}, shellparse.CategoryExternalByDesign},
		{shellparse.Invocation{Kind: shellparse.KindExternal, Name: "lighttpd"}, shellparse.CategoryExternalByDesign},
		{shellparse.Invocation{Kind: shellparse.KindExternal, Name: "sed"}, ""},
		{shellparse.Invocation{Kind: shellparse.KindDynamic, Name: `"$merge_tool_path"`}, shellparse.CategoryExternalByDesign},
		{shellparse.Invocation{Kind: shellparse.KindDynamic, Name: "$cmd"}, ""},
		{shellparse.Invocation{Kind: shellparse.KindBuiltin, Name: "echo"}, ""},
	}
	for _, tt := range tests {
		if got := Classify(&tt.inv); got != tt.want {
			t.Errorf("Classify(%+v) = %q, want %q", tt.inv, got, tt.want)
		}
	}
}
