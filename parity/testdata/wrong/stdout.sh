#!/bin/sh
# A wrong port: like git quiltimport, but prints one more line.
git quiltimport "$@"
status=$?
echo "Applying: an extra line"
exit $status
