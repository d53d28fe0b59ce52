import { IN_MEMORY } from '../../test/table-accounts.js';
import { describeRoutingIndexContract } from './routing-index.contract.js';

describeRoutingIndexContract(IN_MEMORY, 200);
