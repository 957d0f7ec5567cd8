// Appended by scripts/build.mjs to cdktf 0.21.0's lib/util.js in the programs' bundles (never in the
// library that `npm pack` ships). It runs in that module's scope: `snakeCase` is that module's
// function, which keysToSnakeCase calls for every key of every resource's attributes.
//
// Why: a synthesis converts the same attribute names again for every resource of every stack, with
// three regular-expression replacements each: about 1 % of a 1000-host synthesis (profiled: 103 ms
// of the main thread's 8.9 s). The names are remembered here; the function stays the same for every
// input (memoized by the string given; anything else goes to it as it is). Bounded, since map keys
// (labels, log options) are data.
/* global snakeCase:writable -- the host module's function, replaced below */
;(function memoizeSnakeCase() {
  const convert = snakeCase;
  const converted = new Map();
  const MAX_NAMES = 10000;
  // A function declaration's binding: reassigning it changes what keysToSnakeCase calls.
  snakeCase = function snakeCaseMemoized(str) {
    if (typeof str !== 'string') return convert(str);
    let name = converted.get(str);
    if (name === undefined) {
      name = convert(str);
      if (converted.size < MAX_NAMES) converted.set(str, name);
    }
    return name;
  };
})();
