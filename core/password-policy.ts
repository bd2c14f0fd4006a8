/**
 * A small bundled list of the most common passwords (ASVS 6.2.4 asks for a breached/common password check; we
 * ship the list so no network is needed). Compared case-insensitively.
 */
const COMMON = new Set(
  [
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "qwerty123",
    "iloveyou",
    "11111111",
    "00000000",
    "abc12345",
    "abcd1234",
    "letmein1",
    "welcome1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "starwars",
    "trustno1",
    "passw0rd",
    "p@ssw0rd",
    "admin123",
    "changeme",
    "qwertyui",
    "asdfghjk",
    "zxcvbnm1",
    "monkey12",
    "dragon12",
    "master12",
    "whatever",
    "pinball1",
    "pinpoint",
    "87654321",
    "12341234",
    "1q2w3e4r",
    "q1w2e3r4",
    "1qaz2wsx",
    "zaq12wsx",
    "football1",
    "jennifer",
    "michelle",
  ].map((p) => p.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}
