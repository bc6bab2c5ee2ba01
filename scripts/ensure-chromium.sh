#!/usr/bin/env bash
# The first step of `npm test`: the WebGPU-in-Node and end-to-end tests drive Debian's Chromium
# (and its SwiftShader Vulkan driver). When it is missing, install it where apt-get can; anywhere
# else, stop at once with the command to run, instead of failing half an hour into the tests.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
driver=/usr/lib/chromium/vk_swiftshader_icd.json
[ -x "$chromium" ] && [ -e "$driver" ] && exit 0

install='apt-get update && apt-get install -y chromium'
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
  else
    echo "npm test needs Debian's Chromium (the WebGPU and end-to-end tests drive it). Run: sudo sh -c '$install'" >&2
    exit 1
  fi
  echo "npm test: installing Debian's chromium (the WebGPU and end-to-end tests drive it)" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q chromium
  exit 0
fi
echo "npm test needs Chromium with its SwiftShader libraries in /usr/lib/chromium, as Debian's 'chromium' package installs them ($install)." >&2
exit 1
