// Checks a packaged .vsix the way VS Code will load it: the files that must ship are there,
// no development-only file is, and extension.js loads with only the node_modules inside the
// package (a runtime dependency left out of `dependencies` fails here, not in users' editors).
// Usage: node test/check-vsix.js [FILE.vsix]   (default: defuse-<version>.vsix)
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const yauzl = require('yauzl');

const manifest = require('../package.json');
const vsix = path.resolve(process.argv[2] || `defuse-${manifest.version}.vsix`);

/** Extracts every entry of `zipFile` under `dir`; resolves to the entry names. */
function extract(zipFile, dir) {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(names));
      zip.on('entry', (entry) => {
        const target = path.join(dir, entry.fileName);
        assert.ok(target.startsWith(dir + path.sep), `entry escapes the package: ${entry.fileName}`);
        names.push(entry.fileName);
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          stream.pipe(fs.createWriteStream(target)).on('finish', () => zip.readEntry()).on('error', reject);
        });
      });
      zip.readEntry();
    });
  });
}

/** A stand-in for the `vscode` module: every property is a callable, constructible stub. */
function fakeVscode() {
  const handler = {
    get: (target, key) => {
      if (key === '__esModule' || key === 'then') return undefined;
      if (!(key in target)) target[key] = new Proxy(function () {}, handler);
      return target[key];
    },
    construct: () => new Proxy({}, handler),
    apply: () => new Proxy(function () {}, handler),
  };
  return new Proxy(function () {}, handler);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defuse-vsix-'));
  try {
    const names = await extract(vsix, dir);
    for (const required of [
      'extension/package.json',
      'extension/extension.js',
      'extension/preview.js',
      'extension/language-configuration.json',
      'extension/syntaxes/defuse.tmLanguage.json',
      'extension/syntaxes/defuse-test.tmLanguage.json',
      'extension/LICENSE.txt',
      'extension/readme.md',
      'extension/node_modules/vscode-languageclient/package.json',
    ]) {
      assert.ok(names.includes(required), `${required} is missing from ${vsix}`);
    }
    for (const name of names) {
      assert.ok(!name.startsWith('extension/test/'), `test file packaged: ${name}`);
      assert.ok(!/node_modules\/(@vscode\/vsce|vscode-tmgrammar-test|vscode-textmate|vscode-oniguruma|yauzl)\//.test(name), `dev dependency packaged: ${name}`);
    }
    const packaged = JSON.parse(fs.readFileSync(path.join(dir, 'extension/package.json'), 'utf8'));
    assert.equal(packaged.name, manifest.name);
    assert.equal(packaged.version, manifest.version);

    // Load the packaged client; `vscode` is the only module VS Code itself provides.
    const realLoad = Module._load;
    Module._load = function (request, parent, isMain) {
      return request === 'vscode' ? fakeVscode() : realLoad.call(this, request, parent, isMain);
    };
    try {
      const extensionFile = path.join(dir, 'extension/extension.js');
      const extension = require(extensionFile);
      assert.equal(typeof extension.activate, 'function');
      assert.equal(typeof extension.deactivate, 'function');
      const client = require.resolve('vscode-languageclient/node', { paths: [path.dirname(extensionFile)] });
      assert.ok(client.startsWith(dir), `vscode-languageclient resolved outside the package: ${client}`);
      assert.equal(typeof require(client).LanguageClient, 'function');
    } finally {
      Module._load = realLoad;
    }
    const kib = (fs.statSync(vsix).size / 1024).toFixed(0);
    console.log(`check-vsix: ${path.basename(vsix)} is complete and loads: ${names.length} entries, ${kib} KiB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`check-vsix: ${error.message}`);
  process.exit(1);
});
