import { IN_MEMORY } from '../../test/table-accounts.js';
import { describeTallyRowsContract } from './tally-rows.contract.js';

describeTallyRowsContract(IN_MEMORY);
