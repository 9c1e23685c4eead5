# Shell helpers shared by dev.sh, postgres.sh and the bench scripts. Source it; it defines
# functions only. Messages go to standard error, so a script's output stays its own.

say() { printf '\n==> %s\n' "$*" >&2; }

# Runs a command as root: directly when already root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs Debian packages, quietly and without questions.
apt_install() {
  say "Installing $* from Debian's packages"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
