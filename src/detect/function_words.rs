//! Function words of the languages in `data/langid/` (and English's stop words), looked up all at
//! once: one table maps a word to the set of languages whose list holds it, so that one pass over
//! a text's words counts its hits for every language. See `data/langid/SOURCE.md`.
//!
//! The lists answer "is this paragraph plainly in language X?" cheaply and conservatively (see
//! [`Hits::plainly`]); when they cannot say, whatlang decides. Their blind spot is a language
//! with no list whose commonest words are those of a listed one: such a paragraph can pass for
//! the listed language. Lists of the usual suspects (close neighbours, and languages whose
//! commonest words are short and shared) are there as rivals for that reason.

use crate::text_util::{ascii_words, words, StopList};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The lists: ISO 639-3 code (as whatlang gives it) and words, one a line.
const LISTS: &[(&str, &str)] = &[
    ("eng", include_str!("../../data/stopwords/eng.txt")),
    ("spa", include_str!("../../data/langid/spa.txt")),
    ("por", include_str!("../../data/langid/por.txt")),
    ("fra", include_str!("../../data/langid/fra.txt")),
    ("deu", include_str!("../../data/langid/deu.txt")),
    ("ita", include_str!("../../data/langid/ita.txt")),
    ("nld", include_str!("../../data/langid/nld.txt")),
    ("ind", include_str!("../../data/langid/ind.txt")),
    ("pol", include_str!("../../data/langid/pol.txt")),
    ("tur", include_str!("../../data/langid/tur.txt")),
    ("ron", include_str!("../../data/langid/ron.txt")),
    ("swe", include_str!("../../data/langid/swe.txt")),
    ("rus", include_str!("../../data/langid/rus.txt")),
    ("ukr", include_str!("../../data/langid/ukr.txt")),
    ("vie", include_str!("../../data/langid/vie.txt")),
    // Close neighbours of the languages above, so that a paragraph in one of them is not taken
    // for its neighbour: Catalan and Galician (Spanish, Portuguese), Bulgarian, Belarusian,
    // Serbian and Macedonian (Russian, Ukrainian), Czech and Slovak (Polish), Danish and Norwegian
    // (Swedish), Afrikaans (Dutch), Azerbaijani (Turkish).
    ("cat", include_str!("../../data/langid/cat.txt")),
    ("glg", include_str!("../../data/langid/glg.txt")),
    ("bul", include_str!("../../data/langid/bul.txt")),
    ("bel", include_str!("../../data/langid/bel.txt")),
    ("srp", include_str!("../../data/langid/srp.txt")),
    ("mkd", include_str!("../../data/langid/mkd.txt")),
    ("ces", include_str!("../../data/langid/ces.txt")),
    ("slk", include_str!("../../data/langid/slk.txt")),
    ("dan", include_str!("../../data/langid/dan.txt")),
    ("nob", include_str!("../../data/langid/nob.txt")),
    ("afr", include_str!("../../data/langid/afr.txt")),
    ("aze", include_str!("../../data/langid/aze.txt")),
    // Languages whose commonest words ("a", "az", "i", "je", "se") sit in the lists above.
    ("hun", include_str!("../../data/langid/hun.txt")),
    ("hrv", include_str!("../../data/langid/hrv.txt")),
    ("slv", include_str!("../../data/langid/slv.txt")),
];

/// Where English (the chrome stage's stop words) sits in the lists.
pub const ENGLISH: usize = 0;
const _: () = assert!(matches!(LISTS[ENGLISH].0.as_bytes(), b"eng"));

/// Number of listed languages (a word's lists are a `u32` bit set).
const LANGS: usize = LISTS.len();
const _: () = assert!(LANGS <= 32);

/// Each listed word (packed as [`StopList`] packs words) with the set of lists holding it, one
/// bit per entry of [`LISTS`].
fn table() -> &'static FxHashMap<u128, u32> {
    static TABLE: OnceLock<FxHashMap<u128, u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (i, (code, list)) in LISTS.iter().enumerate() {
            for w in list.lines().filter(|w| !w.is_empty()) {
                let key = StopList::pack(w.as_bytes(), false)
                    .unwrap_or_else(|| panic!("{code}: word longer than 16 bytes: {w:?}"));
                *map.entry(key).or_insert(0) |= 1 << i;
            }
        }
        map
    })
}

/// The ISO 639-3 codes of the listed languages.
pub fn codes() -> impl Iterator<Item = &'static str> {
    LISTS.iter().map(|(code, _)| *code)
}

/// Where language `code` sits among the lists, if it has one.
pub fn index_of(code: &str) -> Option<usize> {
    LISTS.iter().position(|(c, _)| *c == code)
}

/// Fewest words of its own list only a text needs over any other list that shares its words.
pub const MIN_LEAD: usize = 2;

/// How a text's words fall into the lists, seen from one language: its words, and per listed
/// language the words in that list and those also in the chosen language's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    /// Where the chosen language sits in the lists.
    lang: usize,
    /// Words in the text.
    pub words: usize,
    /// Per entry of the lists: words found in that list.
    pub per_lang: [usize; LANGS],
    /// Per entry of the lists: words found both in that list and in the chosen language's.
    pub shared: [usize; LANGS],
}

/// Counts the words of `text` and, seen from the language at `lang` (see [`index_of`]), the
/// function words of every listed language in it; words are lower-cased first.
pub fn count(text: &str, lang: usize) -> Hits {
    let table = table();
    let mut hits = Hits {
        lang,
        words: 0,
        per_lang: [0; LANGS],
        shared: [0; LANGS],
    };
    let mut add = |key: Option<u128>| {
        hits.words += 1;
        let Some(set) = key.and_then(|k| table.get(&k).copied()) else {
            return;
        };
        let mine = set & (1 << lang) != 0;
        let mut rest = set;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            hits.per_lang[i] += 1;
            hits.shared[i] += usize::from(mine);
            rest &= rest - 1;
        }
    };
    if text.is_ascii() {
        // The same words, found by bytes (`ascii_words` is `words` on ASCII text).
        for w in ascii_words(text) {
            add(StopList::pack(w.as_bytes(), true));
        }
    } else {
        let mut lower = String::new();
        for w in words(text) {
            if w.is_ascii() {
                add(StopList::pack(w.as_bytes(), true));
            } else {
                lower.clear();
                lower.extend(w.chars().flat_map(char::to_lowercase));
                add(StopList::pack(lower.as_bytes(), false));
            }
        }
    }
    hits
}

impl Hits {
    /// Whether the text has at least `min_words` words and at least `share` of them in the
    /// chosen language's list.
    pub fn has_share(&self, share: f64, min_words: usize) -> bool {
        self.words >= min_words && self.per_lang[self.lang] as f64 >= share * self.words as f64
    }

    /// Whether the text is plainly in the chosen language: at least `min_words` words, at least
    /// `share` of them in its list, and, against every other list that has any of its words, a
    /// lead on the words only one of the two lists holds: at least `margin` times as many in its
    /// own list only as in the other list only, and at least [`MIN_LEAD`]. Words both lists
    /// hold (Spanish and Portuguese "de", Russian and Bulgarian "на") tell the two apart no
    /// more than they tell them from anything else.
    pub fn plainly(&self, share: f64, min_words: usize, margin: f64) -> bool {
        let own = self.per_lang[self.lang];
        self.has_share(share, min_words)
            && (0..LANGS).all(|i| {
                let (theirs, both) = (self.per_lang[i], self.shared[i]);
                i == self.lang
                    || theirs == 0
                    || (own - both >= MIN_LEAD
                        && (own - both) as f64 >= margin * (theirs - both) as f64)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plainly(text: &str, code: &str) -> bool {
        count(text, index_of(code).unwrap()).plainly(0.2, 12, 2.0)
    }

    #[test]
    fn every_list_loads_and_is_lower_case() {
        assert!(table().len() > 800, "{}", table().len());
        for (code, list) in LISTS {
            for w in list.lines() {
                assert_eq!(w, w.to_lowercase(), "{code}: {w}");
                assert!(!w.is_empty() && !w.contains(' '), "{code}: {w:?}");
            }
        }
    }

    /// The counts by the obvious route: every word lower-cased as a whole, looked up as a string.
    fn slow(text: &str, lang: usize) -> Hits {
        let mut hits = Hits {
            lang,
            words: 0,
            per_lang: [0; LANGS],
            shared: [0; LANGS],
        };
        for w in words(text) {
            hits.words += 1;
            let w = w.to_lowercase();
            let holds = |list: &str| list.lines().any(|x| x == w);
            let mine = holds(LISTS[lang].1);
            for (i, (_, list)) in LISTS.iter().enumerate() {
                if holds(list) {
                    hits.per_lang[i] += 1;
                    hits.shared[i] += usize::from(mine);
                }
            }
        }
        hits
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The byte paths (ASCII texts, packed keys, bit sets) count what the obvious route
        /// counts, on text made of listed words in any case, other words and punctuation.
        #[test]
        fn counts_agree_with_the_obvious_route(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec!["de", "The", "ÉTÉ", "и", "Что", "också", "và", "şey", "a", "AZ", "dell'", "l’homme"])
                        .prop_map(String::from),
                    "[a-zA-Zа-яÀ-ÿ’']{1,8}",
                    "[ ,.;:!?\n-]{1,3}",
                ],
                0..30,
            ),
            lang in 0..LANGS,
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(count(&text, lang), slow(&text, lang));
        }
    }

    /// Written for this test: the same news item in several languages.
    #[test]
    fn each_language_is_plainly_itself_and_not_its_neighbours() {
        let pt = "O governo anunciou nesta terça-feira que vai adiar a decisão sobre a nova estação de autocarros para depois do verão, porque ainda não tem os números dos custos. Os moradores que estiveram na reunião disseram que estão preocupados com o trânsito na estrada principal.";
        let es = "El gobierno anunció este martes que aplazará la decisión sobre la nueva estación de autobuses hasta después del verano, porque todavía no tiene las cifras de los costes. Los vecinos que asistieron a la reunión dijeron que están preocupados por el tráfico en la carretera principal.";
        let de = "Die Regierung hat am Dienstag angekündigt, dass sie die Entscheidung über den neuen Busbahnhof bis nach dem Sommer verschieben wird, weil sie noch keine Zahlen zu den Kosten hat. Die Anwohner, die an der Sitzung teilnahmen, sagten, sie seien über den Verkehr auf der Hauptstraße besorgt.";
        let ru = "Правительство объявило во вторник, что отложит решение о новом автовокзале до конца лета, потому что у него еще нет данных о расходах. Жители, которые были на собрании, сказали, что они обеспокоены движением на главной дороге и тем, что будет с парковкой.";
        let en = "The government said on Tuesday that it would delay the decision on the new bus station until after the summer, because it does not yet have the figures for the costs. Residents who were at the meeting said that they were worried about the traffic on the main road.";
        assert!(plainly(pt, "por") && !plainly(pt, "spa"));
        assert!(plainly(es, "spa") && !plainly(es, "por") && !plainly(es, "cat"));
        let ca = "El govern va anunciar aquest dimarts que ajornarà la decisió sobre la nova estació d'autobusos fins després de l'estiu, perquè encara no té les xifres dels costos. Els veïns que van assistir a la reunió van dir que estan preocupats pel trànsit a la carretera principal.";
        assert!(!plainly(ca, "spa") && plainly(ca, "cat"));
        assert!(plainly(de, "deu") && !plainly(de, "nld"));
        assert!(plainly(ru, "rus") && !plainly(ru, "ukr") && !plainly(ru, "bul"));
        assert!(!plainly(en, "por") && !plainly(en, "deu") && !plainly(en, "ind"));
        assert!(plainly(en, "eng"));
        // Hungarian's commonest words ("a", "az", "is", "meg") are English stop words too: its
        // own list keeps a Hungarian paragraph from passing for English.
        let hu = "A város vezetése kedden bejelentette, hogy az új buszpályaudvarról szóló döntést a nyár utánra halasztja, mert még nincsenek meg a költségekről szóló számok. A lakók, akik részt vettek az ülésen, azt mondták, hogy aggódnak a főút forgalma miatt, és a piac közelében lévő parkolóhelyek is.";
        assert!(!plainly(hu, "eng") && plainly(hu, "hun"));
        // Too few words to say.
        assert!(!plainly("O governo de Portugal.", "por"));
        assert_eq!(index_of("kor"), None);
    }
}
