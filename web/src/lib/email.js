// E-mail addresses: the check the forms make before the server's, the domain.

/** The part after "@", lower case. */
export function domainOf(email) {
  const at = String(email).lastIndexOf('@');
  return at > 0 ? String(email).slice(at + 1).toLowerCase() : '';
}

export function validEmail(email) {
  return /^[^\s@"<>()[\],;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(String(email)) && String(email).length <= 254;
}
