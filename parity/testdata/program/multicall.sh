#!/bin/sh
# A stand-in for a multi-call binary such as kiln: it reports the name it
# was run under and its arguments, then leaves a marker file.
echo "argv0=${0##*/} args=$*"
echo "exec-path=$(git --exec-path)" >program-ran
