#!/bin/sh
# A wrong port: like git quiltimport, but leaves an extra tag behind.
git quiltimport "$@"
status=$?
git tag leftover
exit $status
