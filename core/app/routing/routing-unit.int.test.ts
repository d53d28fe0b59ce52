import { AZURITE } from '../../../test/table-accounts.js';
import { describeRoutingUnitContract } from './routing-unit.contract.js';

describeRoutingUnitContract(AZURITE);
describeRoutingUnitContract(AZURITE, 4);
