#!/bin/bash
function shout {
	local word=${1^^}
	echo "$word"
}
declare -a list=(one two three)
for ((i = 0; i < ${#list[@]}; i++)); do
	[[ ${list[i]} == t* ]] && shout "${list[i]}"
done
while read -r line; do
	echo "got $line"
done < <(printf '%s\n' a b)
(( ${#list[@]} > 5 )) || echo "short list"
echo "line $LINENO, status $?"
select x in; do break; done </dev/null
echo pipe |& cat
case ${list[0]} in
one) echo first ;&
two) echo fell through ;;
esac
