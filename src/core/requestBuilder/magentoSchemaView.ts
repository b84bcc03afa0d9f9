// Adapts Grammar's MagentoSchema (with its field tree and body skeleton builders) to what the
// request builder shows: endpoint summaries, and per endpoint the fields picker tree, the
// list item's filterable fields and a body skeleton.
import { MagentoSchema, type SchemaOperation } from '../schema/swaggerSchema';
import { buildFieldTree, type FieldTreeNode } from '../schema/fieldTree';
import { buildBodySkeleton } from '../schema/bodySkeleton';
import { type FieldNode, type HttpMethodName, type OperationDetail, type OperationSummary } from '../../protocol/requestBuilderProtocol';
import { type SchemaView } from './schemaView';

const BUILDER_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

function isList(operation: SchemaOperation): boolean {
  return operation.queryParams.some((p) => p.name.startsWith('searchCriteria'));
}

function summary(operation: SchemaOperation): OperationSummary {
  return {
    method: operation.method as HttpMethodName,
    pathTemplate: operation.pathTemplate,
    pathParams: operation.pathParams.map((p) => p.name),
    tag: operation.tag,
    summary: operation.summary || operation.description.split('\n')[0] || '',
    operationId: operation.operationId,
    hasBody: operation.bodyParam !== undefined,
    isList: isList(operation),
  };
}

function toFieldNode(node: FieldTreeNode): FieldNode {
  const kind: FieldNode['kind'] = node.isCustomAttributes ? 'custom_attributes' : node.kind === 'objectArray' ? 'array' : node.kind === 'object' ? 'object' : 'scalar';
  const out: FieldNode = { name: node.name, kind };
  const type = node.kind === 'array' ? `${node.type ?? 'mixed'}[]` : node.type;
  if (type) out.type = type;
  if (node.description) out.description = node.description.slice(0, 300);
  // custom_attributes entries are picked by attribute code, not by the definition's properties.
  if (node.children && kind !== 'custom_attributes') out.children = node.children.map(toFieldNode);
  return out;
}

export class MagentoSchemaView implements SchemaView {
  private constructor(private readonly schema: MagentoSchema) {}

  static parse(json: unknown): MagentoSchemaView {
    return new MagentoSchemaView(MagentoSchema.parse(json));
  }

  operations(): OperationSummary[] {
    return this.schema.operations().filter((o) => BUILDER_METHODS.has(o.method)).map(summary);
  }

  describe(method: string, pathTemplate: string): OperationDetail | undefined {
    const operation = this.schema.operation(method, pathTemplate);
    if (!operation || !BUILDER_METHODS.has(operation.method)) return undefined;
    let responseFields: FieldNode[] = [];
    const responseRoot = operation.responseDefinitionRef ?? operation.responseSchema;
    if (responseRoot) {
      try {
        responseFields = buildFieldTree(this.schema, responseRoot, { maxDepth: 4 }).map(toFieldNode);
      } catch {
        // A broken $ref in one definition must not take the whole endpoint away: no picker tree.
        responseFields = [];
      }
    }
    const items = responseFields.find((f) => f.name === 'items' && f.kind === 'array');
    const itemSource = isList(operation) ? items?.children ?? [] : [];
    const itemFields = itemSource.filter((f) => f.kind === 'scalar').map((f) => ({ name: f.name, ...(f.type ? { type: f.type } : {}) }));
    let bodySkeleton = '';
    if (operation.bodyParam) {
      try {
        const skeleton = buildBodySkeleton(this.schema, operation.bodyDefinitionRef ?? operation.bodyParam.schema ?? {});
        bodySkeleton = JSON.stringify(skeleton, null, 2);
      } catch {
        bodySkeleton = '{}';
      }
    }
    return {
      operation: summary(operation),
      responseFields,
      itemFields,
      bodySkeleton,
      queryParams: operation.queryParams
        .filter((p) => !p.name.startsWith('searchCriteria'))
        .map((p) => ({ name: p.name, required: p.required, ...(p.type ? { type: p.type } : {}) })),
    };
  }
}
