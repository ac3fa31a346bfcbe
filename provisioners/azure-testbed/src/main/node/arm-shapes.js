#!/usr/bin/env node
// Turns Azure's REST shapes, as the npm packages generated from Azure's REST specifications ship them, into one
// compact JSON file per resource provider and api-version that the test bed's conformance gate reads.
//
//   node arm-shapes.js <output directory> <unpacked package directory>...
//
// Each package directory is an npm package's "package/" folder holding package.json and dist/commonjs/models and
// dist/commonjs/operations only (older packages: dist-esm/src/models and dist-esm/src/operations, ES modules that are
// rewritten to CommonJS here before they are evaluated). models/mappers.js holds the body shapes, models/parameters.js the parameters (the
// api-version is a constant there), and each operations/*.js file keeps its operationSpec objects (path template, HTTP
// method, request body, query parameters) in module-local constants. Those files are evaluated here with their
// relative requires of the models loaded the same way and everything else they name (tslib, @azure/core-*, the
// client's paging and LRO helpers) stubbed: at load time they only build those constants.
//
// A package may send different operation groups at different api-versions; each (provider, api-version) gets a file
// <provider>-<api-version>.json:
//   {provider, apiVersion, package, operations: [{name, method, path, body?, bodyRequired?, query, pathParameters?}],
//    mappers: {className: {properties, additionalProperties?, discriminator?, subtypes?}}}
// A shape is {type, required?, readOnly?, nullable?, constant?, constraints?, allowedValues?, className?, element?,
// value?, properties?}: properties flattened into serializedNames like "properties.administratorLogin" are nested back
// into inline Composite shapes, and RegExp constraints are written as their source. index.txt lists the files.
"use strict";

const fs = require("fs");
const path = require("path");

// anything the generated modules take from the Azure runtime: every property and every call gives the stub again
const runtime = new Proxy(function () {}, {
  get: (target, key) => (key === "__importStar" || key === "__importDefault" ? (module) => module : runtime),
  apply: () => runtime,
});

/** Evaluates a CommonJS module of the package; `extra` names module-local constants to hand back beside its exports. */
function evaluate(file, modules, extra = () => []) {
  if (modules.has(file)) {
    return modules.get(file);
  }
  const module = { exports: {}, locals: {} };
  modules.set(file, module);
  const source = commonJs(fs.readFileSync(file, "utf8"));
  const locals = extra(source);
  const requireIn = (name) => {
    // only the models are kept beside the operations: the client's helpers (paging, LROs) are runtime too; an ES
    // module names its imports without ".js"
    const required = [name, `${name}.js`].map((candidate) => path.resolve(path.dirname(file), candidate))
      .find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    return name.startsWith(".") && required ? evaluate(required, modules).exports : runtime;
  };
  const body = `${source}\n;return { ${locals.join(", ")} };`;
  module.locals = new Function("exports", "require", "module", "__filename", "__dirname", body)(
    module.exports, requireIn, module, file, path.dirname(file));
  return module;
}

/** An ES module of an older package as CommonJS: its imports required, each exported declaration kept as an export. */
function commonJs(source) {
  return source
    .replace(/^import \* as (\w+) from ("[^"]+");/gm, "const $1 = require($2);")
    .replace(/^import \{([^}]*)\} from ("[^"]+");/gm,
      (_, names, from) => `const {${names.replace(/\bas\b/g, ":")}} = require(${from});`)
    .replace(/^export const ([\w$]+) =/gm, "const $1 = exports.$1 =")
    .replace(/^export (class|function|var|let) /gm, "$1 ");
}

const specNames = (source) => [...source.matchAll(/^const (\w+OperationSpec) = /gm)].map((match) => match[1]);

function constraints(given) {
  const written = {};
  for (const [name, value] of Object.entries(given)) {
    written[name] = value instanceof RegExp ? (value.flags.includes("i") ? "(?i)" : "") + value.source : value;
  }
  return written;
}

/** The mappers of one package, by className, and the shapes written from them. */
function shapesOf(mappers) {
  const classes = new Map();
  for (const [exported, mapper] of Object.entries(mappers)) {
    const className = mapper?.type?.className;
    if (className && (!classes.has(className) || exported === className)) {
      classes.set(className, mapper);
    }
  }
  const discriminators = mappers.discriminators || {};

  function shape(mapper, reach) {
    const type = mapper.type || {};
    const written = { type: type.name };
    if (mapper.required) written.required = true;
    if (mapper.readOnly) written.readOnly = true;
    if (mapper.nullable) written.nullable = true;
    if (mapper.isConstant) written.constant = mapper.defaultValue;
    if (mapper.constraints) written.constraints = constraints(mapper.constraints);
    switch (type.name) {
      case "Enum":
        written.allowedValues = type.allowedValues;
        break;
      case "Sequence":
        written.element = shape(type.element, reach);
        break;
      case "Dictionary":
        written.value = shape(type.value, reach);
        break;
      case "Composite":
        if (type.className && classes.has(type.className)) {
          written.className = type.className;
          reach(type.className);
        } else {
          written.properties = properties(type.modelProperties, reach);
        }
        break;
      default:
    }
    return written;
  }

  /** Model properties as JSON keys: "properties.x" becomes x inside an inline Composite "properties". */
  function properties(modelProperties, reach) {
    const root = {};
    for (const [clientName, mapper] of Object.entries(modelProperties || {})) {
      const names = (mapper.serializedName ?? clientName).split(/(?<!\\)\./).map((name) => name.replace(/\\\./g, "."));
      let level = root;
      for (const name of names.slice(0, -1)) {
        level[name] ??= { type: "Composite", properties: {} };
        if (mapper.required && !mapper.readOnly) level[name].required = true;
        level = level[name].properties;
      }
      level[names[names.length - 1]] = shape(mapper, reach);
    }
    return root;
  }

  function definition(className, reach) {
    const type = classes.get(className).type;
    const written = { properties: properties(type.modelProperties, reach) };
    if (type.additionalProperties) written.additionalProperties = shape(type.additionalProperties, reach);
    if (type.polymorphicDiscriminator) {
      written.discriminator = type.polymorphicDiscriminator.serializedName;
      if (type.uberParent === className) {
        written.subtypes = {};
        for (const [key, subtype] of Object.entries(discriminators)) {
          if (key.startsWith(className + ".") && subtype.type.className !== className) {
            written.subtypes[key.slice(className.length + 1)] = subtype.type.className;
            reach(subtype.type.className);
          }
        }
      }
    }
    return written;
  }

  return { shape, definition };
}

function readPackage(directory) {
  const manifest = JSON.parse(fs.readFileSync(path.join(directory, "package.json"), "utf8"));
  const commonjs = path.join(directory, "dist", "commonjs");
  const dist = fs.existsSync(commonjs) ? commonjs : path.join(directory, "dist-esm", "src");
  const modules = new Map();
  const mappers = evaluate(path.join(dist, "models", "mappers.js"), modules).exports;
  const { shape, definition } = shapesOf(mappers);
  const apis = new Map();
  const operationFiles = fs.readdirSync(path.join(dist, "operations"))
    .filter((file) => file.endsWith(".js") && file !== "index.js")
    .sort();
  for (const file of operationFiles) {
    const group = file.slice(0, -".js".length);
    const specs = evaluate(path.join(dist, "operations", file), modules, specNames).locals;
    for (const [local, spec] of Object.entries(specs)) {
      const provider = /\/providers\/([^/{}]+)\//i.exec(spec.path)?.[1];
      const apiVersion = (spec.queryParameters || []).find((p) => p.mapper.serializedName === "api-version")?.mapper.defaultValue;
      if (!provider || !apiVersion) {
        continue; // a next-page link, which carries its own query
      }
      const key = `${provider}-${apiVersion}`;
      if (!apis.has(key)) {
        apis.set(key, { provider, apiVersion, package: `${manifest.name}@${manifest.version}`, operations: [], reached: new Set() });
      }
      const api = apis.get(key);
      const reach = (className) => api.reached.add(className);
      const operation = { name: `${group}.${local.slice(0, -"OperationSpec".length)}`, method: spec.httpMethod, path: spec.path };
      if (spec.requestBody) {
        operation.body = shape(spec.requestBody.mapper, reach);
        const optional = Array.isArray(spec.requestBody.parameterPath) && spec.requestBody.parameterPath[0] === "options";
        if (!optional || spec.requestBody.mapper.required) operation.bodyRequired = true;
      }
      operation.query = (spec.queryParameters || [])
        .filter((p) => !(Array.isArray(p.parameterPath) && p.parameterPath[0] === "options") || p.mapper.required)
        .map((p) => p.mapper.serializedName);
      for (const parameter of spec.urlParameters || []) {
        if (parameter.mapper.constraints && spec.path.includes(`{${parameter.mapper.serializedName}}`)) {
          operation.pathParameters ??= {};
          operation.pathParameters[parameter.mapper.serializedName] = constraints(parameter.mapper.constraints);
        }
      }
      api.operations.push(operation);
    }
  }
  for (const api of apis.values()) {
    api.mappers = {};
    const pending = [...api.reached];
    const reach = (className) => {
      if (!api.reached.has(className)) {
        api.reached.add(className);
        pending.push(className);
      }
    };
    while (pending.length > 0) {
      const className = pending.shift();
      api.mappers[className] = definition(className, reach);
    }
    delete api.reached;
  }
  return [...apis.values()];
}

function main([outputDirectory, ...packageDirectories]) {
  if (!outputDirectory || packageDirectories.length === 0) {
    throw new Error("usage: node arm-shapes.js <output directory> <unpacked package directory>...");
  }
  fs.mkdirSync(outputDirectory, { recursive: true });
  for (const stale of fs.readdirSync(outputDirectory)) {
    fs.rmSync(path.join(outputDirectory, stale), { recursive: true });
  }
  const written = [];
  for (const directory of packageDirectories) {
    for (const api of readPackage(directory)) {
      const name = `${api.provider}-${api.apiVersion}.json`;
      if (written.includes(name)) {
        throw new Error(`${name}: two packages describe ${api.provider} at ${api.apiVersion}`);
      }
      fs.writeFileSync(path.join(outputDirectory, name), JSON.stringify(api));
      written.push(name);
      console.log(`arm-shapes: ${name} (${api.package}): ${api.operations.length} operations, ${Object.keys(api.mappers).length} mappers`);
    }
  }
  fs.writeFileSync(path.join(outputDirectory, "index.txt"), written.join("\n") + "\n");
}

main(process.argv.slice(2));
