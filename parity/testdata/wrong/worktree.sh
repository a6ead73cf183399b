#!/bin/sh
# A wrong port: like git quiltimport, but leaves a changed work-tree file.
git quiltimport "$@"
status=$?
echo three >>file
exit $status
