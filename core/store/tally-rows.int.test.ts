import { AZURITE } from '../../test/table-accounts.js';
import { describeTallyRowsContract } from './tally-rows.contract.js';

describeTallyRowsContract(AZURITE);
