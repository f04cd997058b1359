// The runtime prop schemas (the *-prop-types.ts files under src) against the jsii assembly
// (.jsii, which jsii writes from the TypeScript interfaces): every struct a user passes has a
// schema, every property of it a schema entry of the same type and optionality, and no schema
// entry lacks its property. A prop added to an interface but not to its schema (it would be
// refused as unknown), or to a schema but not to the interface, fails here.
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { structSchemas } from './support/prop-schemas';
import { PropShape, StructType } from '../src/common/prop-types';

const REPO = path.resolve(__dirname, '..');
const ASSEMBLY = path.join(REPO, '.jsii');

interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: unknown;
}
interface Property { readonly name: string; readonly type: TypeRef; readonly optional?: boolean }
interface Callable { readonly parameters?: Array<{ readonly type: TypeRef }>; readonly returns?: { readonly type: TypeRef } }
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly properties?: Property[];
  /** The interfaces it extends, whose properties it has too. */
  readonly interfaces?: string[];
  readonly initializer?: Callable;
  readonly methods?: Callable[];
}
type Types = { readonly [fqn: string]: JsiiType };

/** The newest modification time of the TypeScript sources jsii compiles. */
function newestSource(): number {
  return fs.readdirSync(path.join(REPO, 'src'), { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.ts'))
    .reduce((newest, e) => Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

/** The assembly of the sources as they are: compiled first (the compile task's jsii step) when missing or older. */
function loadTypes(): Types {
  if (!fs.existsSync(ASSEMBLY) || fs.statSync(ASSEMBLY).mtimeMs < newestSource()) {
    const tasks = JSON.parse(fs.readFileSync(path.join(REPO, '.projen', 'tasks.json'), 'utf-8'));
    const jsii = tasks.tasks.compile.steps.map((step: { exec?: string }) => step.exec).find((exec?: string) => exec?.startsWith('jsii '));
    execSync(`npx ${jsii}`, { cwd: REPO, stdio: 'pipe' });
  }
  return JSON.parse(fs.readFileSync(ASSEMBLY, 'utf-8')).types;
}

/** The jsii submodule of the generated Kubernetes types. */
const GENERATED_SUBMODULE = 'cdk8s-dra.k8s.';

const isStruct = (types: Types, ref: TypeRef): ref is { fqn: string } =>
  ref.fqn !== undefined && types[ref.fqn]?.kind === 'interface' && types[ref.fqn].datatype === true;

/** A struct's properties, with those of the interfaces it extends (jsii lists only its own). */
function propertiesOf(types: Types, struct: JsiiType): Property[] {
  return [...(struct.interfaces ?? []).flatMap(base => (types[base] ? propertiesOf(types, types[base]) : [])), ...(struct.properties ?? [])];
}

/** Structs reachable from `refs`, through the properties of structs. */
function structsFrom(types: Types, refs: TypeRef[]): Set<string> {
  const found = new Set<string>();
  const visit = (ref: TypeRef): void => {
    if (ref.collection) return visit(ref.collection.elementtype);
    if (!isStruct(types, ref) || found.has(ref.fqn)) return;
    found.add(ref.fqn);
    propertiesOf(types, types[ref.fqn]).forEach(p => visit(p.type));
  };
  refs.forEach(visit);
  return found;
}

/**
 * The structs users pass: those reached from a parameter of a constructor or method, less
 * those the library makes and hands out (returned, or a property of a class), such as a
 * GoodPracticesReport given back to `formatReport`.
 */
function inputStructs(types: Types): string[] {
  // The generated Kubernetes types (the `k8s` submodule, src/imports) are data the library writes:
  // where a prop takes one, its schema checks it as plain data (k8sObject), not field by field.
  const classes = Object.values(types).filter(t => t.kind === 'class' && !t.fqn.startsWith(GENERATED_SUBMODULE));
  const callables = classes.flatMap(c => [...(c.initializer ? [c.initializer] : []), ...(c.methods ?? [])]);
  const given = structsFrom(types, callables.flatMap(m => (m.parameters ?? []).map(p => p.type)));
  const made = structsFrom(types, [
    ...callables.flatMap(m => (m.returns ? [m.returns.type] : [])),
    ...classes.flatMap(c => (c.properties ?? []).map(p => p.type)),
  ]);
  return [...given].filter(fqn => !made.has(fqn) && !fqn.startsWith(GENERATED_SUBMODULE)).map(fqn => types[fqn].name).sort();
}

function describeShape(shape: PropShape): string {
  switch (shape.kind) {
    case 'list': return `array<${describeShape(shape.of)}>`;
    case 'map': return `map<${describeShape(shape.of)}>`;
    case 'struct': return shape.struct.name;
    case 'type': return shape.fqn;
    default: return shape.kind;
  }
}

function describeRef(types: Types, ref: TypeRef): string {
  if (ref.primitive) return ref.primitive === 'json' ? 'any' : ref.primitive;
  if (ref.collection) return `${ref.collection.kind}<${describeRef(types, ref.collection.elementtype)}>`;
  if (ref.fqn) return isStruct(types, ref) ? types[ref.fqn].name : ref.fqn;
  return JSON.stringify(ref);
}

/** Every difference between the struct schemas and the assembly's structs, one line each. */
function differences(types: Types, schemas: Map<string, StructType>): string[] {
  const problems: string[] = [];
  const structs = new Map(Object.values(types).filter(t => t.kind === 'interface' && t.datatype).map(t => [t.name, t]));
  for (const name of inputStructs(types)) {
    if (!schemas.has(name)) problems.push(`${name}: a struct users pass, without a schema`);
  }
  for (const [name, schema] of schemas) {
    const struct = structs.get(name);
    if (struct === undefined) {
      problems.push(`${name}: a schema without a struct in the assembly`);
      continue;
    }
    const fields = schema.fields();
    const properties = new Map(propertiesOf(types, struct).map(p => [p.name, p]));
    for (const [prop, property] of properties) {
      const spec = fields[prop];
      if (spec === undefined) {
        problems.push(`${name}.${prop}: in the assembly, not in the schema`);
        continue;
      }
      if (spec.required === (property.optional === true)) {
        problems.push(`${name}.${prop}: ${property.optional ? 'optional' : 'required'} in the assembly, ${spec.required ? 'required' : 'optional'} in the schema`);
      }
      const [want, have] = [describeRef(types, property.type), describeShape(spec.type.shape)];
      if (want !== have) problems.push(`${name}.${prop}: ${want} in the assembly, ${have} in the schema`);
    }
    for (const prop of Object.keys(fields).filter(p => !properties.has(p))) {
      problems.push(`${name}.${prop}: in the schema, not in the assembly`);
    }
  }
  return problems;
}

describe('the prop schemas and the jsii assembly', () => {
  let types: Types;
  beforeAll(() => {
    types = loadTypes();
  }, 600_000);

  test('the structs users pass are the ones the constructs and factories take', () => {
    expect(inputStructs(types)).toEqual(expect.arrayContaining(['DraDriverProps', 'DriverContainerOptions', 'GoodPracticesOptions', 'ClusterScale']));
    expect(inputStructs(types)).not.toContain('GoodPracticesReport');
  });

  test('every schema matches its struct, property by property', () => {
    expect(differences(types, structSchemas())).toEqual([]);
  });

  describe('a drifted schema is caught', () => {
    const drifted = (edit: (properties: Property[]) => Property[]): Types => {
      const struct = types['cdk8s-dra.DriverGrpcProbeOptions'];
      return { ...types, [struct.fqn]: { ...struct, properties: edit(struct.properties ?? []) } };
    };

    test('a property the interface gained', () => {
      const gained = drifted(properties => [...properties, { name: 'timeoutSeconds', type: { primitive: 'number' }, optional: true }]);
      expect(differences(gained, structSchemas())).toEqual(['DriverGrpcProbeOptions.timeoutSeconds: in the assembly, not in the schema']);
    });

    test('a property the interface lost', () => {
      const lost = drifted(properties => properties.filter(p => p.name !== 'service'));
      expect(differences(lost, structSchemas())).toEqual(['DriverGrpcProbeOptions.service: in the schema, not in the assembly']);
    });

    test('a property whose type or optionality changed', () => {
      const changed = drifted(properties => properties.map(p => (p.name === 'port' ? { ...p, type: { primitive: 'string' }, optional: false } : p)));
      expect(differences(changed, structSchemas())).toEqual([
        'DriverGrpcProbeOptions.port: required in the assembly, optional in the schema',
        'DriverGrpcProbeOptions.port: string in the assembly, number in the schema',
      ]);
    });

    test('a struct users pass without a schema', () => {
      const schemas = structSchemas();
      schemas.delete('DriverGrpcProbeOptions');
      expect(differences(types, schemas)).toEqual(['DriverGrpcProbeOptions: a struct users pass, without a schema']);
    });
  });
});
