/** Skills as people read and write them: "english 90, sales 80" (by name; empty for none). */
export const skillsText = (skills: Readonly<Record<string, number>>): string =>
  Object.entries(skills)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([skill, level]) => `${skill} ${level}`)
    .join(', ');
