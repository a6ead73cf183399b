#!/bin/sh
echo "args: $# $*"
for a in "$@"; do echo "arg <$a>"; done
g() { return 4; }
g
. ./lib.sh
echo "after lib $?"
echo "line $LINENO"
nosuchcommand_kiln_cover
echo "nf $?"
false; case a in a) ;; esac; echo "empty arm $?"
false; case a in b) echo b;; a) esac; echo "empty last arm $?"
set -e
false || echo "or $?"
if g; then :; else echo "else $?"; fi
g || echo "g $?"
x=$(false) || echo "x $?"
! true
echo "neg $?"
while read -r l; do echo "read $l"; done <<EOF2
a $(echo b)
EOF2
case $x in *) echo star ;; esac
f() { false; echo unreachable; }
f
echo notreached
