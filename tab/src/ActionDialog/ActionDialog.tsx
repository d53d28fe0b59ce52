import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

/** A dialog that asks for one action: its words, the primary button, and a way out. */
export function ActionDialog(props: {
  readonly open: boolean;
  readonly title: ReactNode;
  readonly children: ReactNode;
  /** The primary button's words, and whether it may be pressed now. */
  readonly action: string;
  readonly actionDisabled?: boolean;
  readonly onAction: () => void;
  /** The other button's words ("Cancel", "Keep it"); none when the action only closes. */
  readonly dismiss?: string;
  /** What the other button does, when it is more than closing (Escape still only closes). */
  readonly onDismiss?: () => void;
  readonly onClose: () => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.children}</DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={props.actionDisabled} onClick={props.onAction}>
              {props.action}
            </Button>
            {props.dismiss && (
              <Button onClick={props.onDismiss ?? props.onClose}>{props.dismiss}</Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
