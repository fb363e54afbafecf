// Canaries for the "E2E stays intact" checks: values planted in a message,
// a template and a contact that no administrator page or answer may show.
// tag makes them unique per run, so a hit cannot come from another test.

/** The canary values for tag (e.g. `K${Date.now().toString(36)}`). */
export function canaries(tag) {
  return {
    subject: `${tag}onderwerp`,
    reference: `${tag}kenmerk`,
    file: `${tag}bestand.pdf`,
    email: `${tag.toLowerCase()}ontvanger@buiten.example`,
    name: `${tag}Naam`,
    phone: '+31612398765',
    template: `${tag}sjabloon`,
    contact: `${tag}contact`,
    org: `${tag}organisatie`,
  };
}
