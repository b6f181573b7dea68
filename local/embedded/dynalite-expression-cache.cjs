// dynalite parses every expression (UpdateExpression, ConditionExpression…) of every request with
// its PEG parsers, and the embedded DynamoDB spent most of its time there: 14 s of 39 s for 100
// avances of 200 lines, since a judgement sends the same few expressions hundreds of times with
// other values. This remembers each parse by what it depends on (the expression, the attribute
// names, the types of the values), and gives the next request the same tree with its own values.
//
// Why it stays faithful: dynalite's parsers resolve a value placeholder to the value object itself
// (updateParser/conditionParser `resolveAttrVal`) and look only at its type, except in two places,
// `attribute_type` (the type named by the value) and BETWEEN (its bounds compared): expressions
// using either are never remembered. A parse that fails is not remembered either (the next one
// fails the same way and says why). The placeholders a parse used are marked used again on every
// request, so that « unused in expressions » errors stay as they were.

const MAX_ENTRIES = 2000;
const VALUE_DEPENDENT = /attribute_type|between/i;

/**
 * The tree with each stand-in value replaced by the request's own value; everything else copied
 * (dynalite may keep or change what it is given). Written for speed: it runs for every expression
 * of every request (a judgement's 400 transaction items), where the first version, with
 * Object.entries and a lookup for every string, cost 9 % of the emulator's CPU.
 */
function withValues(node, standIns, values) {
  if (node === null || typeof node !== 'object') return node;
  const key = standIns.get(node);
  if (key !== undefined) return values[key];
  if (Array.isArray(node)) {
    const copy = new Array(node.length);
    for (let index = 0; index < node.length; index++) copy[index] = withValues(node[index], standIns, values);
    return copy;
  }
  const copy = {};
  for (const name of Object.keys(node)) copy[name] = withValues(node[name], standIns, values);
  return copy;
}

const typesOf = (values) =>
  Object.entries(values ?? {})
    .map(([key, value]) => `${key}=${Object.keys(value ?? {}).join(',')}`)
    .join(';');

/** Replaces `parser.parse` by a remembering one (dynalite's validations call it through the module). */
function rememberParses(parser) {
  const parse = parser.parse;
  const cache = new Map();
  parser.parse = (expression, options) => {
    const context = options?.context;
    if (!context || VALUE_DEPENDENT.test(expression)) return parse(expression, options);
    const key = [
      expression,
      JSON.stringify(context.attrNames ?? {}),
      typesOf(context.attrVals),
      context.isKeyCondition ? 'key' : '',
    ].join('\u0000');
    let entry = cache.get(key);
    if (!entry) {
      // Parsed with stand-ins (copies of the values, told apart by identity) and fresh « unused »
      // lists, to learn where the values sit in the tree and which placeholders the expression uses.
      const standIns = new Map();
      const attrVals = {};
      for (const [name, value] of Object.entries(context.attrVals ?? {})) {
        attrVals[name] = { ...value };
        standIns.set(attrVals[name], name);
      }
      const unusedAttrNames = Object.fromEntries(
        Object.keys(context.attrNames ?? {}).map((name) => [name, true]),
      );
      const unusedAttrVals = Object.fromEntries(Object.keys(attrVals).map((name) => [name, true]));
      const tree = parse(expression, {
        ...options,
        context: { ...context, attrVals, unusedAttrNames, unusedAttrVals },
      });
      entry = {
        tree,
        standIns,
        usedNames: Object.keys(context.attrNames ?? {}).filter((name) => !(name in unusedAttrNames)),
        usedValues: Object.keys(attrVals).filter((name) => !(name in unusedAttrVals)),
      };
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, entry);
    }
    for (const name of entry.usedNames) delete context.unusedAttrNames?.[name];
    for (const name of entry.usedValues) delete context.unusedAttrVals?.[name];
    return withValues(entry.tree, entry.standIns, context.attrVals ?? {});
  };
}

module.exports = { rememberParses };
