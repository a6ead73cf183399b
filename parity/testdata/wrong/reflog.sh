#!/bin/sh
# A wrong port: like git quiltimport, but with another reflog message on
# its last HEAD update.
git quiltimport "$@"
status=$?
sed '$ s/	.*/	quiltimport: another message/' .git/logs/HEAD >.git/logs/HEAD.new &&
mv .git/logs/HEAD.new .git/logs/HEAD
exit $status
