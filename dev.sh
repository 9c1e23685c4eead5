#!/usr/bin/env bash
# Copydesk's two set-up commands (see README.md):
#   ./dev.sh run    build and serve the demo site at http://127.0.0.1:3000
#   ./dev.sh test   unit, integration and browser tests
# Each installs what is missing first, and skips what is already there.
set -euo pipefail

# Tool versions, pinned in this one place. WASM_BINDGEN must equal the wasm-bindgen crate
# version in Cargo.lock (Cargo.toml pins it with `=`).
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"

# say, as_root, apt_install
. "$ROOT/scripts/lib.sh"

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (takes 25-35 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 10 minutes, once)"
    # --locked fails for this crate: a locked dependency is missing from the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  # Playwright 1.65 needs Node 20; Debian 12's own nodejs is 18. Say so instead of failing later.
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "Node.js $(node --version) is too old: Playwright needs Node 20 or newer (Debian 13's nodejs package is)." >&2
    exit 1
  fi
  # npm's binaryen provides wasm-opt; Debian's older one produces wasm that fails to hydrate.
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing npm packages in end2end/"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

ensure_browser_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  # The W3C Nu HTML checker (npm vnu-jar) runs on Java.
  if ! command -v java >/dev/null; then
    apt_install default-jre-headless
  fi
  ensure_dictionaries
  # The outage test locks a SQLite file from another process, with Python's sqlite3.
  if ! command -v python3 >/dev/null; then
    apt_install python3
  fi
}

# Test servers from PyPI, each in its own virtualenv under the build folder (installed once):
# `python_tool NAME VERSION PACKAGE` installs PACKAGE==VERSION and prints the virtualenv.
python_tool() {
  local venv="$TARGET_DIR/$1-$2"
  if [ ! -f "$venv/.installed" ]; then
    python3 -c "import ensurepip" 2>/dev/null || apt_install python3-venv >&2
    say "Installing $1 $2 (a test server) from PyPI" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$3==$2" >&2
    touch "$venv/.installed"
  fi
  echo "$venv"
}

# An S3-protocol server for the bucket tests (moto's), and a real SMTP server for the mail
# tests (aiosmtpd; the tests start tests/it/support/smtp_sink.py with its Python).
ensure_test_servers() {
  COPYDESK_TEST_S3_SERVER="$(python_tool moto 5.2.5 'moto[server]')/bin/moto_server"
  COPYDESK_TEST_SMTP_PYTHON="$(python_tool aiosmtpd 1.4.6 aiosmtpd)/bin/python"
  export COPYDESK_TEST_S3_SERVER COPYDESK_TEST_SMTP_PYTHON
}

# The copy check's Hunspell dictionaries (Debian's packages).
ensure_dictionaries() {
  if [ ! -f /usr/share/hunspell/en_GB.dic ] || [ ! -f /usr/share/hunspell/en_US.dic ]; then
    apt_install hunspell-en-gb hunspell-en-us
  fi
}

build_release() {
  say "Building the release site (server + islands wasm)"
  cargo leptos build --release
  # Brotli 11 and gzip 9 copies of /pkg, sent instead of on-the-fly compression.
  "$TARGET_DIR/release/copydesk" precompress target/site/pkg
}

cmd_run() {
  ensure_build_tools
  ensure_dictionaries
  build_release
  # The server names the database itself, with any password masked.
  say "Serving the demo at http://127.0.0.1:3000"
  export COPYDESK_DEMO=1
  exec "$TARGET_DIR/release/copydesk" serve
}

cmd_test() {
  ensure_build_tools
  ensure_browser_test_tools
  ensure_test_servers

  say "Formatting and lints"
  cargo fmt --check
  cargo clippy --all-targets --no-default-features --features ssr -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

  TEST_TMP="$(mktemp -d)"
  PG_TMP="$(mktemp -d)"
  trap './postgres.sh stop "$PG_TMP"; rm -rf "$TEST_TMP" "$PG_TMP"' EXIT

  say "Unit and integration tests (SQLite)"
  cargo test --no-default-features --features ssr

  say "Integration tests again on PostgreSQL (a throwaway server)"
  local pg_url
  pg_url="$(./postgres.sh start "$PG_TMP")"
  COPYDESK_TEST_POSTGRES="${pg_url%/postgres}" cargo test --no-default-features --features ssr --test '*'

  build_release

  say "Browser tests (Playwright, Debian's Chromium)"
  E2E_TMP="$TEST_TMP/e2e"
  mkdir -p "$E2E_TMP"
  (
    cd end2end
    COPYDESK_BIN="$TARGET_DIR/release/copydesk" \
      E2E_DATABASE_URL="sqlite://$E2E_TMP/e2e.db" \
      npx playwright test
  )
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  # For bench/run.sh: the release site, with the tools it needs.
  build) ensure_build_tools && build_release ;;
  *)
    echo "usage: ./dev.sh run | ./dev.sh test | ./dev.sh build" >&2
    exit 2
    ;;
esac
