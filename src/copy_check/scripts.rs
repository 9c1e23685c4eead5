//! Words that mix alphabets: a Cyrillic "С" in the Latin "Сourt" looks right but is another
//! word to search, links and screen readers.

use unicode_script::{Script, UnicodeScript};

/// Letters that look alike: (Latin, Cyrillic, Greek); `' '` where a script has none.
const LOOKALIKES: &[(char, char, char)] = &[
    ('A', 'А', 'Α'),
    ('B', 'В', 'Β'),
    ('C', 'С', ' '),
    ('E', 'Е', 'Ε'),
    ('H', 'Н', 'Η'),
    ('I', 'І', 'Ι'),
    ('J', 'Ј', ' '),
    ('K', 'К', 'Κ'),
    ('M', 'М', 'Μ'),
    ('N', ' ', 'Ν'),
    ('O', 'О', 'Ο'),
    ('P', 'Р', 'Ρ'),
    ('S', 'Ѕ', ' '),
    ('T', 'Т', 'Τ'),
    ('X', 'Х', 'Χ'),
    ('Y', 'У', 'Υ'),
    ('Z', ' ', 'Ζ'),
    ('a', 'а', ' '),
    ('c', 'с', ' '),
    ('e', 'е', ' '),
    ('i', 'і', ' '),
    ('j', 'ј', ' '),
    ('o', 'о', 'ο'),
    ('p', 'р', 'ρ'),
    ('s', 'ѕ', ' '),
    ('v', ' ', 'ν'),
    ('x', 'х', 'χ'),
    ('y', 'у', 'γ'),
];

const SCRIPTS: [Script; 3] = [Script::Latin, Script::Cyrillic, Script::Greek];

fn script_name(script: Script) -> &'static str {
    match script {
        Script::Cyrillic => "Cyrillic",
        Script::Greek => "Greek",
        _ => "Latin",
    }
}

/// The same-looking letter of `to`, if there is one.
fn lookalike(c: char, to: Script) -> Option<char> {
    let row = LOOKALIKES.iter().find(|(l, cy, gr)| c == *l || c == *cy || c == *gr)?;
    let found = match to {
        Script::Cyrillic => row.1,
        Script::Greek => row.2,
        _ => row.0,
    };
    (found != ' ').then_some(found)
}

/// When `word` mixes Latin, Cyrillic and Greek letters: the reason, and the word written
/// in its main alphabet when every odd letter has a lookalike there.
pub fn mixed(word: &str) -> Option<(String, Option<String>)> {
    let counts = SCRIPTS.map(|s| word.chars().filter(|c| c.script() == s).count());
    if counts.iter().filter(|&&n| n > 0).count() < 2 {
        return None;
    }
    // Ties go to Latin, the order of SCRIPTS.
    let main = SCRIPTS[(0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best })];
    let odd: Vec<char> = word.chars().filter(|c| SCRIPTS.contains(&c.script()) && c.script() != main).collect();
    let named = odd
        .iter()
        .map(|c| format!("\u{201c}{c}\u{201d} is {}", script_name(c.script())))
        .collect::<Vec<_>>()
        .join(", ");
    let reason = format!("Mixes {} with other alphabets: {named}.", script_name(main));
    let fixed: Option<String> = word
        .chars()
        .map(|c| if SCRIPTS.contains(&c.script()) && c.script() != main { lookalike(c, main) } else { Some(c) })
        .collect();
    Some((reason, fixed))
}

/// Whether the word has letters outside the Latin alphabet (the dictionaries' own).
pub fn is_latin(word: &str) -> bool {
    word.chars().all(|c| !c.is_alphabetic() || c.script() == Script::Latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cyrillic_letter_in_a_latin_word_is_found_and_fixed() {
        let (reason, fixed) = mixed("\u{421}ourt").unwrap();
        assert_eq!(fixed.as_deref(), Some("Court"));
        assert!(reason.contains("Cyrillic"), "{reason}");
        // A Greek capital rho in "Paris".
        assert_eq!(mixed("\u{3a1}aris").unwrap().1.as_deref(), Some("Paris"));
    }

    #[test]
    fn a_latin_letter_in_a_cyrillic_word_is_fixed_to_cyrillic() {
        let (_, fixed) = mixed("Мoсква").unwrap();
        assert_eq!(fixed.as_deref(), Some("Москва"));
    }

    #[test]
    fn words_of_one_alphabet_pass() {
        for word in ["Court", "García", "Москва", "Αθήνα", "naïve", "Dvořák"] {
            assert_eq!(mixed(word), None, "{word}");
        }
        assert!(is_latin("Dvořák"));
        assert!(!is_latin("Москва"));
    }
}
