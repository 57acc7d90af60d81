/**
 * Passwords long enough for the length rule but guessed first by anyone who tries: the most common ones of
 * breached-password lists, and the shapes they take (a common word with digits or symbols around it, one
 * character repeated, a run of the keyboard or the alphabet). Checked at sign-up and password change, on
 * both sides (shared/auth.schema.ts). Small on purpose: it ships in the sign-up page.
 */

/** Words that common passwords are built on, compared after lower-casing and undoing l33t spelling. */
const COMMON_WORDS = [
  'password',
  'passwort',
  'passw',
  'qwerty',
  'azerty',
  'qwertz',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'basketball',
  'soccer',
  'hockey',
  'sunshine',
  'princess',
  'master',
  'shadow',
  'superman',
  'batman',
  'starwars',
  'whatever',
  'trustno1',
  'freedom',
  'michael',
  'jennifer',
  'jordan',
  'charlie',
  'computer',
  'internet',
  'secret',
  'changeme',
  'default',
  'login',
  'hello',
  'hellothere',
  'loveme',
  'lovely',
  'flower',
  'summer',
  'winter',
  'spring',
  'autumn',
  'abc',
  'abcd',
  'test',
  'testing',
  'guest',
  'user',
  'root',
  'pokemon',
  'chocolate',
  'cookie',
  'mustang',
  'ncc1701',
  'matrix',
  'killer',
  'pepper',
  'ginger',
  'cheese',
  'banana',
  'orange',
  'purple',
  'zaq1zaq1',
  'asdf',
  'zxcv',
  'concert',
  'concerts',
  'concerthistory',
  'music',
  'rocknroll',
  'metallica',
  'beatles',
  'nirvana',
  'qazwsx',
  'blink182',
];

/** Whole passwords of ten characters or more from the top of breach lists, not caught by the shapes below. */
const COMMON_PASSWORDS = new Set([
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'q1w2e3r4t5',
  'q1w2e3r4t5y6',
  '1a2b3c4d5e',
  'a1b2c3d4e5',
  'qwertyuiop',
  'asdfghjkl;',
  'zxcvbnm,./',
  'qweasdzxc123',
  'iloveyou123',
  'myspace123',
  'myspace1',
  'homelesspa',
  'aa12345678',
  'abcd123456',
  'abc1234567',
  'password1!',
  'p@ssw0rd12',
  'princess12',
  'sunshine12',
  'football12',
  'baseball12',
  'chocolate1',
  'babygirl12',
  'jessica123',
  'michael123',
  'superman12',
  'liverpool1',
  'arsenal123',
  'chelsea123',
  'manchester',
  'blink18222',
  'cantona777',
  'charlie123',
  'jordan2323',
  'iloveyou12',
  'lovelove12',
]);

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };

const KEYBOARD_RUNS = [
  '1234567890',
  '0987654321',
  'qwertyuiop',
  'poiuytrewq',
  'asdfghjkl',
  'lkjhgfdsa',
  'zxcvbnm',
  'mnbvcxz',
  'abcdefghijklmnopqrstuvwxyz',
  'zyxwvutsrqponmlkjihgfedcba',
];

/** Why this password is too easy to guess, or null when it is not among the common ones. */
export function commonPasswordReason(password: string): string | null {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'This password is one of the most common ones: choose another';
  if (new Set(lower).size <= 2) return 'This password repeats one or two characters: choose another';
  const compact = lower.replace(/[\s_.-]/g, '');
  if (compact.length >= 6 && KEYBOARD_RUNS.some((run) => isRunOf(compact, run)))
    return 'This password is a run of the keyboard or the alphabet: choose another';
  // A common word with only digits and symbols around it ("password12", "Qwerty!2024", "welcome123").
  const letters = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const word = [...letters].map((c) => LEET[c] ?? c).join('');
  const plain = [...lower]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^a-z]/g, '');
  for (const candidate of [letters, word, plain]) {
    if (candidate && COMMON_WORDS.some((common) => candidate === common || isRepeatOf(candidate, common))) {
      return 'This password is a common word with digits or symbols added: choose another';
    }
  }
  return null;
}

/** "1234567890", "34567890123" (wrapping), "asdfghjkl", "abcdefghij", "mnbvcxz12" does not count. */
function isRunOf(text: string, run: string): boolean {
  if (/^\d+$/.test(text)) {
    const doubled = run.repeat(3);
    return doubled.includes(text);
  }
  return run.includes(text);
}

function isRepeatOf(text: string, word: string): boolean {
  return text.length % word.length === 0 && word.repeat(text.length / word.length) === text;
}
