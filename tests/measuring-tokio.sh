#!/usr/bin/env bash
# measuring-tokio.sh B: builds the measuring chapter's Tokio programs, the stretch peer, in
# B/tokio, offline with cargo from Debian's crates (librust-tokio-dev, which bench installs),
# and links them into B under the chapter's names: measuring-pingpong-tokio,
# measuring-fanin-tokio and measuring-tasks-tokio (one program, three names), and
# measuring-echo-tokio. They link with B/lib/measuring.a, the C harnesses, which must be built.
# Fails, saying why, when they cannot be built; bench then leaves Tokio out.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:?usage: tests/measuring-tokio.sh BUILD_DIR}
dir=$B/tokio
command -v cargo >/dev/null || { echo "bench: no cargo, so no Tokio" >&2; exit 1; }
mkdir -p "$dir/lib" "$dir/crate"        # target/ stays, so Tokio is compiled only once
cp -r generated-src/measuring/tokio/. "$dir/crate/"        # new times: cargo rebuilds and relinks
mkdir -p "$dir/crate/.cargo"                                # offline, from Debian's crates
mv "$dir/crate/cargo-config.toml" "$dir/crate/.cargo/config.toml"
cp "$B/lib/measuring.a" "$dir/lib/libmeasuring.a"         # the harnesses, for the linker
(cd "$dir/crate" && RUSTFLAGS="-L native=$PWD/../lib" cargo build --release --offline -q) ||
    { echo "bench: Tokio's programs did not build; they are left out" >&2; exit 1; }
for w in pingpong fanin tasks; do
    ln -sf tokio/crate/target/release/measuring-tokio "$B/measuring-$w-tokio"
done
ln -sf tokio/crate/target/release/measuring-echo-tokio "$B/measuring-echo-tokio"
