// CMS pages and blocks (Magento_Cms webapi.xml).
import { magentoDateTime } from '../clock';
import type { SandboxApp } from '../app';
import { WebapiError, inputError, noSuchEntity, requiredField } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam, pathParam, searchCriteriaParam } from '../routing/types';
import { criteriaFromParam, searchCollection } from '../search/collectionSearch';
import { snakeKeys } from './productRoutes';
import type { Json, JsonObject } from './seed';

interface CmsKind {
  noun: 'page' | 'block';
  base: '/V1/cmsPage' | '/V1/cmsBlock';
  idParam: 'pageId' | 'blockId';
  definition: string;
  service: { className: string; name: string };
  acl: string[];
  deleteAcl: string[];
  notFound: string;
  collection: (app: SandboxApp) => Map<number, JsonObject>;
  nextId: (app: SandboxApp) => number;
  keys: string[];
}

const PAGE: CmsKind = {
  noun: 'page',
  base: '/V1/cmsPage',
  idParam: 'pageId',
  definition: 'cms-data-page-interface',
  service: { className: 'Magento\\Cms\\Api\\PageRepositoryInterface', name: 'cmsPageRepositoryV1' },
  acl: ['Magento_Cms::page'],
  deleteAcl: ['Magento_Cms::page_delete'],
  notFound: 'The CMS page with the "%1" ID doesn\'t exist.',
  collection: (app) => app.data.cmsPages,
  nextId: (app) => app.data.nextPageId++,
  keys: ['id', 'identifier', 'title', 'page_layout', 'meta_title', 'meta_keywords', 'meta_description', 'content_heading', 'content', 'creation_time', 'update_time', 'sort_order', 'layout_update_xml', 'custom_theme', 'custom_root_template', 'active'],
};

const BLOCK: CmsKind = {
  noun: 'block',
  base: '/V1/cmsBlock',
  idParam: 'blockId',
  definition: 'cms-data-block-interface',
  service: { className: 'Magento\\Cms\\Api\\BlockRepositoryInterface', name: 'cmsBlockRepositoryV1' },
  acl: ['Magento_Cms::block'],
  deleteAcl: ['Magento_Cms::block'],
  notFound: 'The CMS block with the "%1" ID doesn\'t exist.',
  collection: (app) => app.data.cmsBlocks,
  nextId: (app) => app.data.nextBlockId++,
  keys: ['id', 'identifier', 'title', 'content', 'creation_time', 'update_time', 'active'],
};

function cmsRoutesFor(app: SandboxApp, kind: CmsKind): SyncRoute[] {
  const get = (id: number): JsonObject => {
    const entity = kind.collection(app).get(id);
    if (!entity) throw noSuchEntity(kind.notFound, [id]);
    return entity;
  };
  const save = (raw: unknown): JsonObject => {
    const input = snakeKeys(raw) as Record<string, unknown>;
    const now = magentoDateTime(app.clock.now());
    const collection = kind.collection(app);
    const existing = input.id !== undefined && input.id !== null ? collection.get(Number(input.id)) : undefined;
    if (input.id !== undefined && input.id !== null && !existing) throw noSuchEntity(kind.notFound, [Number(input.id)]);
    const merged: Record<string, unknown> = { ...(existing ?? {}), ...input };
    if (existing) merged.id = existing.id;
    const missing = ['identifier', 'title'].filter((f) => typeof merged[f] !== 'string' || (merged[f] as string).trim() === '');
    if (missing.length > 0) throw inputError(missing.map(requiredField));
    for (const other of collection.values()) {
      if (other.identifier === merged.identifier && other.id !== merged.id) {
        throw new WebapiError(400, kind.noun === 'page' ? 'A page URL key for specified store already exists.' : 'A block identifier with the same properties already exists in the selected store.');
      }
    }
    const id = existing ? (existing.id as number) : kind.nextId(app);
    const entity: JsonObject = {};
    const full = { ...merged, id, creation_time: existing?.creation_time ?? now, update_time: now, active: Boolean(input.active ?? input.is_active ?? existing?.active ?? true) };
    for (const k of kind.keys) if ((full as Record<string, unknown>)[k] !== undefined) entity[k] = (full as Record<string, unknown>)[k] as Json;
    collection.set(id, entity);
    return entity;
  };
  return [
    {
      method: 'POST',
      path: kind.base,
      service: { ...kind.service, method: 'save' },
      acl: kind.acl,
      params: [bodyParam(kind.noun, T.ref(kind.definition))],
      response: T.ref(kind.definition),
      summary: `Save ${kind.noun}.`,
      throws: [400],
      handler: ({ params }) => save(params[kind.noun]),
    },
    {
      method: 'GET',
      path: `${kind.base}/search`,
      service: { ...kind.service, method: 'getList' },
      acl: kind.acl,
      params: [searchCriteriaParam()],
      response: T.ref(`${kind.definition.replace('-interface', '')}-search-results-interface`),
      summary: `Retrieve ${kind.noun}s matching the specified criteria.`,
      handler: ({ params }) => searchCollection(kind.collection(app).values(), criteriaFromParam(params.searchCriteria), app.settings, (e, f) => (f === 'is_active' ? e.active : e[f]) ?? null),
    },
    {
      method: 'GET',
      path: `${kind.base}/:${kind.idParam}`,
      service: { ...kind.service, method: 'getById' },
      acl: kind.acl,
      params: [pathParam(kind.idParam, T.int)],
      response: T.ref(kind.definition),
      summary: `Retrieve ${kind.noun}.`,
      throws: [404],
      handler: ({ params }) => get(params[kind.idParam] as number),
    },
    {
      method: 'PUT',
      path: `${kind.base}/:id`,
      service: { ...kind.service, method: 'save' },
      acl: kind.acl,
      params: [pathParam('id', T.string), bodyParam(kind.noun, T.ref(kind.definition))],
      pathOverrides: { id: { param: kind.noun, field: 'id' } },
      response: T.ref(kind.definition),
      summary: `Save ${kind.noun}.`,
      throws: [400, 404],
      handler: ({ params }) => save(params[kind.noun]),
    },
    {
      method: 'DELETE',
      path: `${kind.base}/:${kind.idParam}`,
      service: { ...kind.service, method: 'deleteById' },
      acl: kind.deleteAcl,
      params: [pathParam(kind.idParam, T.int)],
      response: T.bool,
      summary: `Delete ${kind.noun} by ID.`,
      throws: [404],
      handler: ({ params }) => {
        const id = params[kind.idParam] as number;
        get(id);
        kind.collection(app).delete(id);
        return true;
      },
    },
  ];
}

export function cmsRoutes(app: SandboxApp): SyncRoute[] {
  return [...cmsRoutesFor(app, PAGE), ...cmsRoutesFor(app, BLOCK)];
}
