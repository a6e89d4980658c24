#!/usr/bin/env bash
# Second opinion on contracts/src/main/resources/asyncapi.yaml: parses it with the official AsyncAPI
# JavaScript parser (@asyncapi/parser from the npm registry), which also resolves every $ref into the
# JSON Schemas beside it. The build's own check is AsyncApiDocumentTest (offline, no Node needed);
# this script is for whoever edits the document. Needs node and npm. Exit code 1 on any error.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund @asyncapi/parser@3.6.3 >/dev/null
cp -r "$here/contracts/src/main/resources/asyncapi.yaml" "$here/contracts/src/main/resources/schemas" .
cat > check.mjs <<'JS'
import { Parser, fromFile } from '@asyncapi/parser';
const { document, diagnostics } = await fromFile(new Parser(), 'asyncapi.yaml').parse();
const names = ['error', 'warning', 'information', 'hint'];
for (const d of diagnostics) console.log(`${names[d.severity]} ${d.code}: ${d.message} at ${d.path.join('.')}`);
if (!document || diagnostics.some(d => d.severity === 0)) process.exit(1);
console.log(`asyncapi.yaml: ${document.channels().length} channels, ${document.allMessages().length} messages, `
  + `${document.operations().length} operations`);
JS
node check.mjs
