#!/bin/sh
x=$( (echo a; echo b) | sort | uniq -c | wc -l)
( cd /tmp && ls | head -3 ) > /dev/null
for i in 1 2 3; do echo $i; done | tr 1 9 | cat > /dev/null
echo "$x"
