#!/usr/bin/env bash
# Runs every test of the repository. The Functions tests start their own Azurite (loopback, free ports) from the
# npm package pinned in tools/azurite, so that is installed first; the infra tests restore the Bicep CLI from NuGet.
set -euo pipefail
cd "$(dirname "$0")"

if [ -f tools/azurite/package-lock.json ]; then
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

dotnet test CcsFunctions.sln -c Release "$@"
