// What the request builder needs from a store's schema: endpoint summaries for the picker and,
// per endpoint, the fields tree, the list item's filterable fields and a body skeleton.
import { type OperationDetail, type OperationSummary } from '../../protocol/requestBuilderProtocol';

export interface SchemaView {
  operations(): OperationSummary[];
  describe(method: string, pathTemplate: string): OperationDetail | undefined;
}
