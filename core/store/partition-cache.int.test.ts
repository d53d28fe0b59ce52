import { AZURITE } from '../../test/table-accounts.js';
import { describePartitionCacheContract } from './partition-cache.contract.js';

describePartitionCacheContract(AZURITE);
