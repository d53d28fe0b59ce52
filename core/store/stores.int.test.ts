// The app's server framework patches Node's HTTP parser when loaded; the contract must
// hold in a process that has it loaded, as the app's has (embedded Azurite runs in a worker).
import 'restify';
import { AZURITE } from '../../test/table-accounts.js';
import { describeStoresContract } from './stores.contract.js';

describeStoresContract(AZURITE);
