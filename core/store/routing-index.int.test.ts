import { AZURITE } from '../../test/table-accounts.js';
import { describeRoutingIndexContract } from './routing-index.contract.js';

describeRoutingIndexContract(AZURITE, 25);
