// Stands in for json-stable-stringify 1.3.0 in the programs' bundles (scripts/build.mjs), where
// cdktf 0.21.0 writes every stack's JSON and the manifest with it (`stringify(value, { space: 2 })`).
// The library that `npm pack` ships uses the package itself.
//
// Why: that package walks through call-bound wrappers and a replacer call per value, rebuilds the
// indent string character by character at every node, and looks for cycles in an array: writing
// 1000 collector stacks spent 0.9 s in it (7 % of the synthesis, profiled). This writes the same
// text in one plain walk: keys in sorted order, a value `undefined` (or a function) left out of an
// object and written `null` in an array, `toJSON()` called, an empty object or array opened and
// closed on two lines as the package does, a circular object refused with the same TypeError.
// Only the `space` option is taken; cdktf passes no other. test/cli/fast/cdktf-stable-stringify.test.ts
// compares it with the package on generated values.
'use strict';

module.exports = function stableStringify(value, options) {
  for (const option of Object.keys(options || {})) {
    if (option !== 'space') throw new TypeError(`stable-stringify (src/cli/fast/cdktf/stable-stringify.js) takes the "space" option only, not "${option}"`);
  }
  let space = (options && options.space) || '';
  if (typeof space === 'number') space = ' '.repeat(space);
  const colon = space ? ': ' : ':';
  // indents[level]: a line break and `level` spaces before a closing bracket (nothing without `space`).
  const indents = [];
  const indentAt = (level) => {
    while (indents.length <= level) indents.push(space ? `\n${space.repeat(indents.length)}` : '');
    return indents[level];
  };
  const open = new Set();

  function write(node, level) {
    if (node && typeof node.toJSON === 'function') node = node.toJSON();
    if (typeof node !== 'object' || node === null) return JSON.stringify(node);
    const indent = indentAt(level);
    const itemIndent = indent + space;
    if (Array.isArray(node)) {
      let text = '[';
      for (let i = 0; i < node.length; i++) text += `${i > 0 ? ',' : ''}${itemIndent}${write(node[i], level + 1) ?? 'null'}`;
      return `${text}${indent}]`;
    }
    if (open.has(node)) throw new TypeError('Converting circular structure to JSON');
    open.add(node);
    const keys = Object.keys(node).sort();
    let text = '{';
    let first = true;
    for (const key of keys) {
      const written = write(node[key], level + 1);
      if (written === undefined) continue;
      text += `${first ? '' : ','}${itemIndent}${JSON.stringify(key)}${colon}${written}`;
      first = false;
    }
    open.delete(node);
    return `${text}${indent}}`;
  }

  return write(value, 0);
};
