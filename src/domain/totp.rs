//! (ssr) Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, six digits),
//! as authenticator apps make them, and the recovery codes that stand in for a lost phone.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds a code is valid for.
pub const STEP_SECS: i64 = 30;
/// Codes from one step before or after are accepted too: clocks drift, people type slowly.
const DRIFT_STEPS: i64 = 1;
/// Recovery codes made at once; each works one time.
pub const RECOVERY_CODES: usize = 10;

/// A new shared secret: 20 random bytes (160 bits, as RFC 4226 recommends), in base32 as
/// the apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the system's random source");
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// Whether `secret` is base32 of at least 16 bytes.
pub fn is_secret(secret: &str) -> bool {
    decode(secret).is_some_and(|bytes| bytes.len() >= 16)
}

fn decode(secret: &str) -> Option<Vec<u8>> {
    data_encoding::BASE32_NOPAD.decode(secret.trim().to_ascii_uppercase().as_bytes()).ok()
}

/// The six-digit code for the step that holds `unix_secs`.
pub fn code_at(secret: &str, unix_secs: i64) -> Option<String> {
    let key = decode(secret)?;
    Some(code_for_step(&key, unix_secs.div_euclid(STEP_SECS)))
}

fn code_for_step(key: &[u8], step: i64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let number =
        u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    format!("{:06}", number % 1_000_000)
}

/// The step a typed `code` is for, if it is right at `unix_secs` (give or take a step);
/// steps at or before `last_used` are refused, so a code seen over a shoulder cannot be
/// used again.
pub fn verify(secret: &str, code: &str, unix_secs: i64, last_used: Option<i64>) -> Option<i64> {
    let key = decode(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = unix_secs.div_euclid(STEP_SECS);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| constant_time_eq(code_for_step(&key, *step).as_bytes(), code.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The address an authenticator app reads (as a QR code or pasted).
pub fn otpauth_uri(site: &str, email: &str, secret: &str) -> String {
    use crate::domain::text::percent_encode;
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECS}",
        percent_encode(site),
        percent_encode(email),
        percent_encode(site)
    )
}

/// New recovery codes, as shown once: ten groups like `k3vq-8mzt-2hxa`.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 12];
            getrandom::fill(&mut bytes).expect("the system's random source");
            let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
            chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
        })
        .collect()
}

/// A recovery code as typed, in the form it is stored under (hashed): lower case, no
/// spaces or dashes.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's test secret ("12345678901234567890") and its SHA-1 vectors, six digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_vectors() {
        for (time, code) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(code_at(RFC_SECRET, time).unwrap(), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_a_step_of_now() {
        let now = 1_234_567_890;
        let code = code_at(RFC_SECRET, now).unwrap();
        let step = verify(RFC_SECRET, &code, now, None).expect("right now");
        assert!(verify(RFC_SECRET, &code, now + STEP_SECS, None).is_some(), "a step late");
        assert!(verify(RFC_SECRET, &code, now + 3 * STEP_SECS, None).is_none(), "too late");
        assert!(verify(RFC_SECRET, &code, now, Some(step)).is_none(), "not twice");
        assert!(verify(RFC_SECRET, "12345", now, None).is_none());
        assert!(verify(RFC_SECRET, "abcdef", now, None).is_none());
        assert_eq!(
            verify(RFC_SECRET, &format!("{} {}", &code[..3], &code[3..]), now, None),
            Some(step),
            "spaces ignored"
        );
    }

    #[test]
    fn secrets_and_recovery_codes_are_fresh_and_well_formed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(is_secret(&a) && a.len() == 32);
        assert!(!is_secret("not base32!"));
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| c.len() == 14 && c.matches('-').count() == 2));
        assert_eq!(normalise_recovery_code(" K3VQ-8MZT 2hxa "), "k3vq8mzt2hxa");
        let uri = otpauth_uri("Copydesk News", "ed@desk.example", &a);
        assert!(uri.starts_with("otpauth://totp/Copydesk%20News:ed%40desk.example?secret="), "{uri}");
    }
}
