// Appended by scripts/build.mjs to cdktf 0.21.0's lib/tokens/private/resolve.js in the programs'
// bundles (never in the library that `npm pack` ships, which uses cdktf as it is). It runs in that
// module's scope: `resolvable_1`, `encoding_1`, `token_map_1`, `token_1`, `errors_1`, `tokenMap`,
// `isConstruct` and `resolveNumberToken` are that module's (scripts/build.mjs checks they are there).
//
// Why: cdktf's resolve() makes a context object with two closures and a copy of the options for
// every key and every array element it walks, token or not: that, and the garbage it leaves, was
// about 40 % of synthesizing a collector stack (profiled, 100 and 1000 hosts, when cdktf still
// resolved each stack three times; src/resolve-once.ts now resolves each element once). This
// resolve() does the same walk, in the same order, calling the same resolvers with contexts made
// the same way, but makes a context only where
// cdktf hands one to a token or a resolver:
//   - a leaf that needs no resolution (a string without token markers, a number that is no token, a
//     boolean, null, undefined) is taken as it is, without a call;
//   - the children of an object or array share one context carrying the parent's flags (cdktf makes
//     one per child, with the same flags; nothing writes to it or calls it);
//   - the path of a node, only used in error messages, is joined when an error is thrown.
// The programs' output is compared byte for byte with stock cdktf's (test/cli/synth-fleet.test.ts), and
// this function with stock resolve() on generated values (test/cli/fast/cdktf-fast-resolve.test.ts).
/* global resolvable_1, encoding_1, token_map_1, token_1, errors_1, tokenMap, isConstruct, resolveNumberToken -- the host module's, see above */
;(function installFastResolve() {
  const NEEDS_RESOLVING = Symbol('needs resolving');

  /** A leaf's value when it needs no resolution, else NEEDS_RESOLVING (the full path then decides, and throws where cdktf throws). */
  function plainLeaf(x) {
    switch (typeof x) {
      case 'undefined':
      case 'boolean':
      case 'bigint':
      case 'symbol':
        return x;
      case 'number':
        return x !== token_1.Token.NUMBER_MAP_TOKEN_VALUE && token_map_1.TokenMap.instance().lookupNumberToken(x) === undefined ? x : NEEDS_RESOLVING;
      case 'string':
        return plainString(x) ? x : NEEDS_RESOLVING;
      default:
        return x === null ? null : NEEDS_RESOLVING;
    }
  }

  /** True when resolve() returns `s` as it is: no list, string or number token markers, not a map token value. */
  function plainString(s) {
    if (s === token_1.Token.STRING_MAP_TOKEN_VALUE || s === token_1.Token.ANY_MAP_TOKEN_VALUE) return false;
    // Both token markers ("${TfToken[", "#{TfToken[") contain "TfToken["; see hasNumberTokens for numbers.
    if (s.includes('TfToken[')) return false;
    return !hasNumberTokens(s);
  }

  /**
   * False when `s` holds no encoded number token, so that cdktf's number pass (which runs a regular
   * expression over the whole string, a few % of a large synthesis) would give `s` back as it is. A
   * number token is a double tagged in its top 16 bits (encoding.ts): -9.7e288 to -1.9e289 for a
   * list element, -4.2e298 to -8.4e298 for a number, which JavaScript writes with "e+28" or "e+29".
   * Without "e+2" the pass may still match a number such as "1e5", but no such number is a token,
   * and the pass then joins the same text back. ("e+" alone is common in base64: uploaded files.) A
   * resolved string token may be no string at all: that goes to the pass as it is, as in cdktf.
   */
  function hasNumberTokens(s) {
    return (typeof s !== 'string' || s.includes('e+2')) && encoding_1.TokenString.forNumbers(s).test();
  }

  /**
   * The options of a resolve one level down: cdktf's `{ ...options, prefix, previousContext }` with
   * the options resolve() reads (no other is read, and options reach no token or resolver). A literal
   * of one shape, not a spread: copying options objects of several shapes was the costliest line of
   * a 1000-host synthesis (profiled: 450 ms of its main thread, 130 ms as a literal).
   */
  function optionsBelow(options, prefix, previousContext) {
    return { scope: options.scope, prefix, resolver: options.resolver, preparing: options.preparing, previousContext };
  }

  /**
   * cdktf's containsMapToken(obj): a key holding a map token marker. Such a key holds "TfToken[", a
   * cheap test that spares the regular expression (and an object made for it) on every other key.
   */
  function hasMapTokenKey(obj) {
    return Object.keys(obj).some((key) => key.includes('TfToken[') && encoding_1.TokenString.forMapToken(key).test());
  }

  function fastResolve(obj, options) {
    const prefix = options.prefix || [];
    const pathName = () => '/' + prefix.join('/');
    // As cdktf's makeContext: a fresh context whose flags come from the previous one.
    function makeContext(appendPath) {
      const newPrefix = appendPath !== undefined ? prefix.concat([appendPath]) : options.prefix;
      let postProcessor;
      const context = {
        preparing: options.preparing,
        scope: options.scope,
        suppressBraces: options.previousContext?.suppressBraces,
        ignoreEscapes: options.previousContext?.ignoreEscapes,
        warnEscapes: options.previousContext?.warnEscapes,
        iteratorContext: options.previousContext?.iteratorContext,
        registerPostProcessor(pp) {
          postProcessor = pp;
        },
        resolve(x) {
          return fastResolve(x, optionsBelow(options, newPrefix, context));
        },
      };
      return [
        context,
        {
          postProcess(x) {
            return postProcessor ? postProcessor.postProcess(x, context) : x;
          },
        },
      ];
    }
    // A child (array element, object value or key): a plain leaf as it is, anything else through a call
    // whose previous context carries this level's flags, as cdktf's per-child contexts do.
    let carrier;
    function resolveChild(x, appendPath) {
      const childDepth = appendPath !== undefined ? prefix.length + 1 : (options.prefix || []).length;
      if (childDepth <= 200) {
        const leaf = plainLeaf(x);
        if (leaf !== NEEDS_RESOLVING) return leaf;
      }
      carrier = carrier || makeContext()[0];
      return fastResolve(x, optionsBelow(options, appendPath !== undefined ? prefix.concat([appendPath]) : options.prefix, carrier));
    }

    if (prefix.length > 200) {
      throw (0, errors_1.unableToResolveCircularReference)(pathName());
    }
    if (typeof obj === 'undefined') {
      return undefined;
    }
    if (obj === null) {
      return null;
    }
    if (typeof obj === 'function') {
      throw (0, errors_1.cannotResolveFunction)(pathName(), obj);
    }
    if (typeof obj === 'string') {
      if (encoding_1.TokenString.forListToken(obj).test()) {
        throw (0, errors_1.encodedListTokenInScalarStringContext)();
      }
      if (obj === token_1.Token.STRING_MAP_TOKEN_VALUE || obj === token_1.Token.ANY_MAP_TOKEN_VALUE) {
        throw (0, errors_1.encodedMapTokenInScalarStringContext)();
      }
      let str = obj;
      const tokenStr = encoding_1.TokenString.forString(str, !options.previousContext?.ignoreEscapes, options.previousContext?.warnEscapes);
      if (tokenStr.test()) {
        const fragments = tokenStr.split(tokenMap.lookupToken.bind(tokenMap));
        str = options.resolver.resolveString(fragments, makeContext()[0]);
      }
      if (hasNumberTokens(str)) {
        const tokenNumberStr = encoding_1.TokenString.forNumbers(str);
        const fragments = tokenNumberStr.split((id) => {
          return token_map_1.TokenMap.instance().lookupNumberToken(parseFloat(id));
        });
        const context2 = makeContext()[0];
        str = fragments.mapTokens(context2).join(new resolvable_1.StringConcat());
      }
      return str;
    }
    if (typeof obj === 'number') {
      if (obj === token_1.Token.NUMBER_MAP_TOKEN_VALUE) {
        throw (0, errors_1.encodedMapTokenInScalarNumberContext)();
      }
      return token_map_1.TokenMap.instance().lookupNumberToken(obj) === undefined ? obj : resolveNumberToken(obj, makeContext()[0]);
    }
    if (typeof obj !== 'object' || obj instanceof Date) {
      return obj;
    }
    if (Array.isArray(obj)) {
      if ((0, encoding_1.containsStringListTokenElement)(obj)) {
        return options.resolver.resolveList(obj, makeContext()[0]);
      }
      if ((0, encoding_1.containsNumberListTokenElement)(obj)) {
        return options.resolver.resolveNumberList(obj, makeContext()[0]);
      }
      const arr = [];
      for (let i = 0; i < obj.length; i++) {
        const value = resolveChild(obj[i], `${i}`);
        if (typeof value !== 'undefined') arr.push(value);
      }
      return arr;
    }
    if (hasMapTokenKey(obj)) {
      return options.resolver.resolveMap(obj, makeContext()[0]);
    }
    // cdktf asks unresolved(obj), which for an object that is no array is containsMapToken(obj) (just
    // answered: no) or Tokenization.isResolvable(obj).
    if (token_1.Tokenization.isResolvable(obj)) {
      const [context, postProcessor] = makeContext();
      return options.resolver.resolveToken(obj, context, postProcessor);
    }
    if (isConstruct(obj)) {
      throw (0, errors_1.constructsCannotBeResolved)(pathName());
    }
    const result = {};
    for (const key of Object.keys(obj)) {
      const resolvedKey = resolveChild(key, undefined);
      if (typeof resolvedKey !== 'string') {
        throw (0, errors_1.mapKeyMustResolveToString)(pathName(), key, resolvedKey);
      }
      const value = resolveChild(obj[key], key);
      if (typeof value === 'undefined') {
        continue;
      }
      result[resolvedKey] = value;
    }
    return result;
  }

  exports.resolve = fastResolve;
})();
