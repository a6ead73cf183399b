#!/bin/sh
# make check-upstream: git's own test files for each script kiln ports, run
# through `kiln parity --suite` with the installed script as the old side
# and kiln's builtin (or, with TRANSLATIONS set, a raw translation) as the
# new one. See docs/parity.md, "git's own test suite". Not in CI: it needs
# git's source with t/helper/test-tool built, and takes long.
#
# usage: tests/upstream/check.sh GIT_SRC [NAME...]
#   KILN          the kiln binary (default: bin/kiln)
#   TRANSLATIONS  a multi-call binary of raw translations (kiln translate -o
#                 DIR; go build -o DIR/builtins ./cmd/builtins): compare it,
#                 run as git-NAME, instead of kiln's builtins
#   JOBS          test files run at once (default 1)
#   OUT           also write a JUnit report NAME.xml there
set -u

src=${1:?usage: tests/upstream/check.sh GIT_SRC [NAME...]}
shift
src=$(cd "$src" && pwd) || exit 2
kiln=${KILN:-bin/kiln}
jobs=${JOBS:-1}
test -x "$src/t/helper/test-tool" && test -f "$src/GIT-BUILD-OPTIONS" && test -d "$src/templates/blt" || {
	echo "check-upstream: $src has no built t/helper/test-tool, GIT-BUILD-OPTIONS or templates/blt (see docs/parity.md)" >&2
	exit 2
}

# Which of git's test files exercise which script (git 2.39.5). None
# exercise quiltimport or instaweb.
files_for () {
	case $1 in
	bisect)           echo t/t6030-bisect-porcelain.sh t/t6041-bisect-submodule.sh ;;
	difftool--helper) echo t/t7800-difftool.sh ;;
	filter-branch)    echo t/t7003-filter-branch.sh t/t7008-filter-branch-null-sha1.sh ;;
	merge-octopus)    echo t/t7602-merge-octopus-many.sh ;;
	merge-one-file)   echo t/t6060-merge-index.sh ;;
	merge-resolve)    echo t/t7605-merge-resolve.sh ;;
	mergetool)        echo t/t7610-mergetool.sh ;;
	request-pull)     echo t/t5150-request-pull.sh ;;
	submodule)        (cd "$src" && echo t/t74[0-2][0-9]-submodule*.sh) ;;
	subtree)          echo contrib/subtree/t/t7900-subtree.sh ;;
	web--browse)      echo t/t9901-git-web--browse.sh ;;
	quiltimport|instaweb) ;;
	*) echo "check-upstream: no test files known for $1" >&2; return 1 ;;
	esac
}

if test $# -eq 0
then
	if test -n "${TRANSLATIONS:-}"
	then
		set -- bisect difftool--helper filter-branch merge-octopus merge-one-file merge-resolve \
			mergetool request-pull submodule subtree web--browse
	else
		set -- $("$kiln" builtin --help 2>&1 | sed -n 's/.*(NAME one of: \(.*\))$/\1/p' | tr -d ,)
	fi
fi

links=
if test -n "${TRANSLATIONS:-}"
then
	links=$(mktemp -d) || exit 2
	trap 'rm -rf "$links"' EXIT
fi
status=0
for name
do
	files=$(files_for "$name") || { status=2; continue; }
	if test -z "$files"
	then
		echo "$name: no test file of git's exercises it"
		continue
	fi
	set -- --suite 'sh -c '\''cd "${1%/*}" && GIT_TEST_INSTALLED=/usr/bin exec sh "${1##*/}"'\'' -' -j "$jobs"
	for f in $files
	do
		set -- "$@" --files "$src/$f"
	done
	if test -n "$links"
	then
		ln -sf "$TRANSLATIONS" "$links/git-$name"
		set -- "$@" --new "$links/git-$name"
	fi
	echo "== $name"
	if test -n "${OUT:-}"
	then
		mkdir -p "$OUT" && set -- "$@" --junit "$OUT/$name.xml"
	fi
	"$kiln" parity "$@" "$name"
	rc=$?
	test $rc -gt $status && status=$rc
done
exit $status
