import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { problemText } from '../api/api-problem';

/** An error from the API, in its own words; never swallowed. Nothing when there is none. */
export function ErrorBar({ error, title }: { readonly error: unknown; readonly title?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {problemText(error)}
      </MessageBarBody>
    </MessageBar>
  );
}
