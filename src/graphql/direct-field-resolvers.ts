import { GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { BuildSchemaOptions, getMetadataStorage } from 'type-graphql';

/*
 * type-graphql calls every field resolver through a wrapper that, at each call, sorts the method's
 * parameter list, maps it into a new array, looks the resolver class up in its container and runs
 * the middleware chain, empty here. A page of 20 posts makes a few hundred such calls: about 4% of
 * an uncached feed's CPU, and garbage to collect. A field resolver whose parameters are only
 * @Root(), @Ctx() and @Info(), with no middleware, no roles and no arguments (whose conversion and
 * validation type-graphql does), is called directly instead, its parameters put in order once.
 * Everything else keeps type-graphql's wrapper.
 */

type Source = 'root' | 'context' | 'info';
type Method = (...params: unknown[]) => unknown;

/** Where each parameter comes from, in the method's order; null when type-graphql must stay in between. */
function sourcesOf(params: readonly { kind: string; index: number; propertyName?: string; getType?: unknown }[] | undefined): Source[] | null {
  if (!params) return [];
  const ordered = [...params].sort((a, b) => a.index - b.index);
  const sources: Source[] = [];
  for (const param of ordered) {
    // A root parameter with a class type is converted to that class (convertToType); a named
    // context or root parameter is a property of it: both stay with type-graphql.
    if (param.propertyName !== undefined) return null;
    if (param.kind === 'root' && param.getType === undefined) sources.push('root');
    else if (param.kind === 'context' || param.kind === 'info') sources.push(param.kind);
    else return null;
  }
  return sources.length === params.length ? sources : null;
}

function directResolver(instance: object, method: Method, sources: Source[]): GraphQLFieldResolver<unknown, unknown> {
  const pick = (source: Source, root: unknown, context: unknown, info: unknown) => (source === 'root' ? root : source === 'context' ? context : info);
  const [a, b, c] = sources;
  switch (sources.length) {
    case 0:
      return () => method.call(instance);
    case 1:
      return (root, _args, context, info) => method.call(instance, pick(a, root, context, info));
    case 2:
      return (root, _args, context, info) => method.call(instance, pick(a, root, context, info), pick(b, root, context, info));
    default:
      return (root, _args, context, info) => method.call(instance, pick(a, root, context, info), pick(b, root, context, info), pick(c, root, context, info));
  }
}

/**
 * Replaces type-graphql's wrapper on the field resolvers that need none of it; returns the fields
 * changed, `Type.field`. `options`: those the schema was built with; global middlewares, an auth
 * checker or a container of its own keep every wrapper.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, options: BuildSchemaOptions): string[] {
  if (options.globalMiddlewares?.length || options.authChecker || options.container) return [];
  const storage = getMetadataStorage();
  const instances = new Map<unknown, object>();
  const changed: string[] = [];
  for (const field of storage.fieldResolvers) {
    // `internal` resolvers are methods of the object type's own class, called on a converted root.
    if (field.kind !== 'external' || !field.getObjectType || field.middlewares?.length || field.roles?.length) continue;
    const sources = sourcesOf(field.params);
    if (!sources || sources.length > 3) continue;
    const objectClass = field.getObjectType();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const schemaField = isObjectType(type) ? type.getFields()[field.schemaName] : undefined;
    if (!schemaField || schemaField.args.length > 0) continue;
    const target = field.target as new () => object;
    // Resolver classes hold no state (they reach services through the context): one instance each.
    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new target()));
    const method = (target.prototype as Record<string, Method>)[field.methodName];
    schemaField.resolve = directResolver(instance, method, sources);
    changed.push(`${typeName}.${field.schemaName}`);
  }
  return changed;
}
