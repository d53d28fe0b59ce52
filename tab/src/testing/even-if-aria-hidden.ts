/**
 * Around Fluent dialogs, queries include what is aria-hidden: in jsdom, Tabster's modal
 * state (it lives on window, beyond cleanup) can leave a new dialog's surface, or the page
 * after a dialog closed, aria-hidden for as long as the machine is loaded. Browsers don't:
 * the end-to-end tests check the dialog with axe in Chromium.
 */
export const EVEN_IF_ARIA_HIDDEN = { hidden: true } as const;
