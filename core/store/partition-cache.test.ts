import { IN_MEMORY } from '../../test/table-accounts.js';
import { describePartitionCacheContract } from './partition-cache.contract.js';

describePartitionCacheContract(IN_MEMORY);
