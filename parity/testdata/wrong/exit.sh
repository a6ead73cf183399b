#!/bin/sh
# A wrong port: like git quiltimport, but exits 3.
git quiltimport "$@"
exit 3
