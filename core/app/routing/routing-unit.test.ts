import { IN_MEMORY } from '../../../test/table-accounts.js';
import { describeRoutingUnitContract } from './routing-unit.contract.js';

describeRoutingUnitContract(IN_MEMORY);
describeRoutingUnitContract(IN_MEMORY, 4);
