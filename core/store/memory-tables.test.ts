// The in-memory tables keep every contract Azurite keeps (the same tests run there in the
// integration tier), so the unit tier can run the stores, the cache and the use cases on them.
import { IN_MEMORY } from '../../test/table-accounts.js';
import { describeStoresContract } from './stores.contract.js';
import { describeTableAccountContract } from './table-account.contract.js';

describeTableAccountContract(IN_MEMORY);
describeStoresContract(IN_MEMORY);
