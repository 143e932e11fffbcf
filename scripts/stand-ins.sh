#!/bin/sh
# Writes an empty stand-in for every target Cargo.toml (in the current directory) builds, so that
# the image's dependency layer can be built from the manifests alone and cached apart from the
# sources. Prints the files it wrote.
set -eu
mkdir -p src
echo 'fn main() {}' > src/main.rs
: > src/lib.rs
awk '
  function flush() {
    if (kind != "") {
      if (path == "") path = dir[kind] "/" name ".rs"
      print path
    }
    kind = ""; name = ""; path = ""
  }
  BEGIN { dir["bench"] = "benches"; dir["example"] = "examples"; dir["test"] = "tests"; dir["bin"] = "src/bin" }
  /^\[/ { flush() }
  /^\[\[(bench|example|test|bin)\]\]/ { kind = $0; gsub(/[][ ]/, "", kind); next }
  kind != "" && /^name[ ]*=/ { split($0, part, "\""); name = part[2] }
  kind != "" && /^path[ ]*=/ { split($0, part, "\""); path = part[2] }
  END { flush() }
' Cargo.toml | while read -r stand_in; do
  mkdir -p "$(dirname "$stand_in")"
  echo 'fn main() {}' > "$stand_in"
  echo "$stand_in"
done
