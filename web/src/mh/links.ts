export function mentalHealthHash(incidentId: string): string {
  return `#/incidents/${encodeURIComponent(incidentId)}/mental-health`;
}

export function detentionHash(id: string): string {
  return `#/detentions/${encodeURIComponent(id)}`;
}
