#!/bin/sh
# Refreshes http/ui/vendor from the npm registry at the versions pinned in package.json
# (and package-lock.json): installs into a temporary folder, copies the built files and
# licences, and leaves no node_modules in the repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
vendor=$here/../vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund)
m=$tmp/node_modules
cp "$m/echarts/dist/echarts.min.js" "$vendor/"
cp "$m/echarts/LICENSE" "$vendor/LICENSE.echarts"
cp "$m/echarts/NOTICE" "$vendor/NOTICE.echarts"
cp "$m/zrender/LICENSE" "$vendor/LICENSE.zrender"
cp "$m/tslib/LICENSE.txt" "$vendor/LICENSE.tslib"
cp "$m/world-atlas/countries-110m.json" "$vendor/"
cp "$m/world-atlas/LICENSE" "$vendor/LICENSE.world-atlas"
echo "vendored: echarts $(node -p "require('$m/echarts/package.json').version"), world-atlas $(node -p "require('$m/world-atlas/package.json').version")"
