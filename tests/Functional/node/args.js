// A small strict parser for "--name value" arguments, shared by the harness scripts. An unknown
// name, a missing value, a missing required argument or a bad value prints a message and the usage
// on stderr and exits with 2.
"use strict";

function fail(message, usage) {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

/**
 * @param {string[]} argv the arguments after the script's name
 * @param {Record<string, { required?: boolean, default?: string, integer?: [number, number], oneOf?: string[] }>} spec
 * @param {string} usage printed after any error
 */
function parseArgs(argv, spec, usage) {
  const raw = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (flag === "--help" || flag === "-h") {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    if (!flag.startsWith("--") || !(flag.slice(2) in spec)) {
      fail(`unknown argument '${flag}'`, usage);
    }
    const name = flag.slice(2);
    if (i + 1 >= argv.length) {
      fail(`argument '${flag}' needs a value`, usage);
    }
    if (name in raw) {
      fail(`argument '${flag}' is given twice`, usage);
    }
    raw[name] = argv[i + 1];
  }

  const result = {};
  for (const [name, rule] of Object.entries(spec)) {
    const value = name in raw ? raw[name] : rule.default;
    if (value === undefined) {
      if (rule.required) {
        fail(`argument '--${name}' is required`, usage);
      }
      continue;
    }
    if (rule.integer) {
      const [lowest, highest] = rule.integer;
      if (!/^\d+$/.test(value) || Number(value) < lowest || Number(value) > highest) {
        fail(`argument '--${name}' is '${value}'; expected a whole number from ${lowest} to ${highest}`, usage);
      }
      result[name] = Number(value);
    } else if (rule.oneOf) {
      if (!rule.oneOf.includes(value)) {
        fail(`argument '--${name}' is '${value}'; expected one of ${rule.oneOf.join(", ")}`, usage);
      }
      result[name] = value;
    } else {
      result[name] = value;
    }
  }
  return result;
}

/** Parses "--targets" (comma-separated http(s) base URLs) or exits with 2. */
function parseTargets(value, usage) {
  const targets = value.split(",").map((text) => text.trim()).filter((text) => text.length > 0);
  if (targets.length === 0) {
    fail("argument '--targets' names no URL", usage);
  }
  return targets.map((text) => {
    let url;
    try {
      url = new URL(text);
    } catch {
      fail(`argument '--targets' has '${text}', which is not a URL; expected e.g. http://127.0.0.1:5000`, usage);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      fail(`argument '--targets' has '${text}'; expected an http:// or https:// URL`, usage);
    }
    if (url.pathname !== "/" || url.search || url.hash) {
      fail(`argument '--targets' has '${text}'; expected a base URL without a path (the path is a separate argument)`, usage);
    }
    return url;
  });
}

module.exports = { parseArgs, parseTargets, fail };
