#!/bin/sh
# Regenerates tests/lua_diff/*.expected by running each program with the reference
# interpreter (Debian's lua5.1) from the project root, so error positions read
# "tests/lua_diff/<name>.lua:<line>:". stdout, then stderr, are captured.
set -eu
cd "$(dirname "$0")/.."
LUA="${LUA:-lua5.1}"
for f in tests/lua_diff/*.lua; do
  out="${f%.lua}.expected"
  "$LUA" "$f" > "$out.stdout" 2> "$out.stderr" || true
  cat "$out.stdout" "$out.stderr" > "$out"
  rm -f "$out.stdout" "$out.stderr"
done
echo "regenerated $(ls tests/lua_diff/*.lua | wc -l) expected files"
