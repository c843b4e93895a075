#!/usr/bin/env bash
# Debian's headless Chromium for the web-page tests (Playwright's own browser download cannot work offline).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "[browser] installing Debian's chromium" >&2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_root apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
