/** A number field's text as the number the API checks; what is not a number goes as null, so the API names the field. */
export function numberOrNull(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}
