// Common and breached passwords (SECURITY.md §3 item 4, ASVS 2.1.7).
//
// The top 10,000 of the ranked common/breached password list that
// @zxcvbn-ts/language-common ships, loaded lazily (its own chunk, ~380 KB),
// plus a short list of common passwords that do meet the composition rule
// (12+ characters, upper, lower, digit), which the ranked list rarely has.
// Compared case-insensitively after NFC.
const TOP = 10000;
const COMMON = [
  'Password1234', 'Password12345', 'Password123456', 'Password2020!', 'Password2023', 'Password2024',
  'Password2025', 'Passw0rd1234', 'Welkom123456', 'Welkom12345!', 'Welkom2024!!', 'Welkom01Welkom01',
  'Wachtwoord123', 'Wachtwoord1234', 'Wachtwoord12', 'Wachtwoord01', 'Wachtwoord2024', 'Wachtwoord2025',
  'Qwerty123456', 'Qwertyuiop123', 'Qwerty12345678', 'Abcdef123456', 'Abcd12345678', 'Aa1234567890',
  'Letmein12345', 'Welcome12345', 'Welcome123456', 'Welcome2024!', 'Iloveyou1234', 'Administrator1',
  'Admin1234567', 'Changeme1234', 'Summer2024!!', 'Zomer2024!!!', 'Winter2024!!', 'Lente2024!!!',
  'Herfst2024!!', 'Januari2025!', 'Amsterdam123', 'Rotterdam123', 'Nederland123', 'Nederland1234',
  'Holland12345', 'Ajax12345678', 'Feyenoord123', 'Football1234', 'Monkey123456', 'Dragon123456',
  'Sunshine1234', 'Princess1234', 'Trustno11234', 'Master123456', 'Secret123456', 'Geheim123456',
];
const norm = (p) => String(p).normalize('NFC').toLowerCase();
let loading = null;

function list() {
  loading ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set([...dictionary['passwords-common'].slice(0, TOP), ...COMMON].map(norm)),
  );
  return loading;
}

/** True if pw is on the list (case-insensitive, NFC). */
export async function isBreached(pw) {
  return (await list()).has(norm(pw));
}
