#!/bin/sh
greet() {
	echo "hello $1"
}
unused() {
	echo never
}
n=0
for i in 1 2 3; do
	n=$((n + 1))
done
empty=
for j in $empty; do
	echo none
done
if test $n -eq 3; then
	if test -z "$empty"; then
		greet world
	fi
elif false; then
	echo no
else
	echo no
fi
case $n in
1) echo one ;;
3) echo three ;;
esac
case x in
y) ;;
esac
true && false || echo fallback
false && echo never
(cd / && echo "sub $n")
cat <<EOF2
here $(echo doc) $n
EOF2
echo one \
	two
x=$(echo subst)
while false; do
	echo never
done
status() { return 3; }
status
echo "status $? $x"
exit 0
