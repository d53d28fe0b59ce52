/** A URL as logs may keep it: a reporting key in the query (Power BI's `api-key`) is replaced. */
export const loggedUrl = (url: string | undefined): string | undefined =>
  url?.replace(/([?&]api-key=)[^&#]*/gi, '$1[redacted]');
