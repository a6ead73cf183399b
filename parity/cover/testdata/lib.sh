echo "lib sees $?"
lib_fn() { echo "lib_fn $LINENO"; }
lib_fn
test -n "$x" && echo set || false
