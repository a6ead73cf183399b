#!/bin/sh
# A wrong port: like git quiltimport, but leaves "file" executable in the
# index (only there).
git quiltimport "$@"
status=$?
git update-index --chmod=+x file
exit $status
