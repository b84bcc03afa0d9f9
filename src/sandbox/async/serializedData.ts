// What Magento stores per async operation (contract §6.4) and the hash it answers with (§6.3).
import { createHash, randomUUID } from 'node:crypto';
import { phpJsonEncode } from './phpJson';

/**
 * `serialized_data` of an operation: PHP json_encode of
 * `{"entity_id":null,"entity_link":"","meta_information":"<json of the item>","store_id":N}`
 * (`WebapiAsync/Model/OperationRepository.php`). The item is encoded twice, so its own JSON
 * appears as an escaped string inside the outer document.
 */
export function buildSerializedData(item: unknown, storeId: number): string {
  return phpJsonEncode({
    entity_id: null,
    entity_link: '',
    meta_information: phpJsonEncode(item),
    store_id: storeId,
  });
}

/** `data_hash`: unsalted sha256 hex of the serialized data (`Encryptor::hash(..., SHA256)`). */
export function dataHash(serializedData: string): string {
  return createHash('sha256').update(serializedData, 'utf8').digest('hex');
}

/** Bulk UUIDs are v4 (`IdentityGeneratorInterface`). */
export function newBulkUuid(): string {
  return randomUUID();
}

