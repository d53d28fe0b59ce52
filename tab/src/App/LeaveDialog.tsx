import { ActionDialog } from '../ActionDialog/ActionDialog';
import type { ViewState } from './use-view';

/** Asks before leaving a page whose changes are not saved. */
export function LeaveDialog({ state }: { readonly state: ViewState }) {
  return (
    <ActionDialog
      open={state.leaving !== null}
      title="Leave without saving?"
      action="Stay on this page"
      onAction={state.stay}
      dismiss="Leave and discard them"
      onDismiss={state.leave}
      onClose={state.stay}
    >
      This page has changes that are not saved yet. Leaving now discards them.
    </ActionDialog>
  );
}
