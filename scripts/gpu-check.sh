#!/bin/sh
# Device check of the GPU backends (README, "The GPU"): on a machine with a GPU, installs the Vulkan loader if it
# is missing (as root, through apt-get), builds eds if needed, and runs scripts/gpu-check.mjs, which compares
# WebGPU with WebAssembly on the digits CNN and MLP and on PhaseNet inference. Arguments pass through
# (--expect-webgpu, --no-expect-webgpu). Run from the repository, after npm ci.
set -eu
cd "$(dirname "$0")/.."
loader=
for f in /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/lib/aarch64-linux-gnu/libvulkan.so.1 /usr/lib64/libvulkan.so.1 /usr/lib/libvulkan.so.1; do
  [ -e "$f" ] && loader=$f
done
if [ -z "$loader" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "gpu-check: installing libvulkan1 (the Vulkan loader Dawn needs)"
    apt-get install -y -q libvulkan1 >/dev/null 2>&1 || apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libvulkan1 >/dev/null 2>&1 || echo "gpu-check: could not install libvulkan1"
  else
    echo "gpu-check: no Vulkan loader (libvulkan.so.1) and no way to install it here: WebGPU will not load"
  fi
fi
[ -d node_modules ] || { echo "gpu-check: node_modules missing: run npm ci first" >&2; exit 2; }
[ -f dist/nn/backend.js ] && [ -f dist/nn/webgpu-probe.js ] || npx tsc -p tsconfig.json
exec node scripts/gpu-check.mjs "$@"
