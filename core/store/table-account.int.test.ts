import { AZURITE } from '../../test/table-accounts.js';
import { describeTableAccountContract } from './table-account.contract.js';

describeTableAccountContract(AZURITE);
