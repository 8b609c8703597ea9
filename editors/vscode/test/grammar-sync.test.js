// The highlighting keeps up with the language: every reserved word, stage and outcome of
// grammar/defuse.pest and grammar/common.pest (the syntax's single source; the tokens scripts and
// `.dtest` files share live in common.pest) is highlighted as one, and the grammar's own
// list of reserved words is exactly the parser's. A keyword added to the parser fails here until
// syntaxes/defuse.tmLanguage.json knows it.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const pest = ['defuse.pest', 'common.pest']
  .map((file) => fs.readFileSync(path.join(__dirname, '../../../grammar', file), 'utf8'))
  .join('\n');
const grammarFile = path.join(__dirname, '../syntaxes/defuse.tmLanguage.json');
const grammarJson = JSON.parse(fs.readFileSync(grammarFile, 'utf8'));

/** The quoted words of the pest rule `name = … { … }` (its first line to its closing brace). */
function pestWords(name) {
  const rule = new RegExp(`^${name}\\s*=\\s*[_@$]?\\{([\\s\\S]*?)\\}\\s*$`, 'm').exec(pest);
  assert.ok(rule, `rule ${name} not found in grammar/defuse.pest or grammar/common.pest`);
  return [...rule[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.defuse' ? vsctm.parseRawGrammar(JSON.stringify(grammarJson), grammarFile) : null,
  });
  return registry.loadGrammar('source.defuse');
}

/** The innermost scope of the token that starts at `column` when `lines` are tokenized. */
function scopeAt(grammar, lines, lineIndex, column) {
  let state = vsctm.INITIAL;
  for (let i = 0; i < lines.length; i++) {
    const result = grammar.tokenizeLine(lines[i], state);
    if (i === lineIndex) {
      const token = result.tokens.find((t) => t.startIndex <= column && column < t.endIndex);
      return token.scopes[token.scopes.length - 1];
    }
    state = result.ruleStack;
  }
  throw new Error('line out of range');
}

test('the parser has the reserved words, stages and outcomes this test expects to find', () => {
  assert.ok(pestWords('keyword').includes('follow_up'));
  assert.deepEqual(pestWords('stage'), ['acknowledge', 'close', 'mirror', 'options', 'root-cause', 'trigger']);
  assert.deepEqual(pestWords('outcome'), ['callback', 'ended', 'escalated', 'resolved']);
});

test("the grammar's reserved words (where `vars` stops) are exactly the parser's", () => {
  const end = grammarJson.repository['vars-header'].end;
  const words = /\(\?:([a-z_|-]+)\)/.exec(end)[1].split('|').sort();
  assert.deepEqual(words, pestWords('keyword'));
});

test('every reserved word of the parser is highlighted as a keyword', async () => {
  const grammar = await loadGrammar();
  for (const word of pestWords('keyword')) {
    // Inside a node body, where statements stand; headers and declarations start regions.
    const scope = scopeAt(grammar, ['  trigger t {', `    ${word}`], 1, 4);
    assert.match(scope, /^(keyword|storage\.type)\./, `\`${word}\` is highlighted as ${scope}`);
  }
});

test('every stage starts a node header and every outcome is a constant', async () => {
  const grammar = await loadGrammar();
  for (const stage of pestWords('stage')) {
    assert.equal(scopeAt(grammar, [`${stage} n {`], 0, 0), `storage.type.stage.${stage}.defuse`);
    assert.equal(scopeAt(grammar, [`${stage} n {`], 0, stage.length + 1), 'entity.name.function.node.defuse');
  }
  for (const outcome of pestWords('outcome')) {
    assert.equal(scopeAt(grammar, [`outcome ${outcome}`], 0, 8), `constant.language.outcome.${outcome}.defuse`);
  }
});

test('the escapes the parser accepts are escapes; any other is invalid', async () => {
  const grammar = await loadGrammar();
  // src/syntax/strings.rs lowers exactly these; the contract lists the same six.
  for (const escape of ['\\"', '\\\\', '\\n', '\\t', '\\{', '\\}']) {
    assert.equal(scopeAt(grammar, [`say "${escape}"`], 0, 5), 'constant.character.escape.defuse', escape);
  }
  for (const escape of ['\\r', '\\u', '\\0', "\\'"]) {
    assert.equal(scopeAt(grammar, [`say "${escape}"`], 0, 5), 'invalid.illegal.unknown-escape.defuse', escape);
  }
});
