//! A worst-case-time search over the words layer's parsers (`make fuzz`, release build):
//! random lines built from the grammar's own words (dates, fillers, numbers, quotes) and
//! noise, then a hill climb that keeps mutating the slowest input found. Prints the slowest
//! input and its time for each parser, and fails if any input takes longer than the bound:
//! every parser here is meant to be linear in its input, so no line of the largest size a
//! request can carry (64 KiB) should cost more than a few milliseconds.
//!
//!   cargo run --release -p app --example parse_worst_case   (FUZZ_CASES=20000 by default)

use std::time::{Duration, Instant};

use app::words::{
    dates::{parse, split_trailing_date},
    quick_add::{QuickAdd, split_quick_add},
    reminders,
};
use jiff::civil::date;

/// The largest request body the server accepts: no text a parser sees is longer.
const MAX_BYTES: usize = 64 * 1024;
/// A parser call slower than this on any input fails the search.
const BOUND: Duration = Duration::from_millis(5);

const WORDS: &[&str] = &[
    "on",
    "by",
    "due",
    "for",
    "before",
    "at",
    "the",
    "until",
    "till",
    "this",
    "next",
    "in",
    "a",
    "an",
    "of",
    "end",
    "week",
    "weekend",
    "month",
    "year",
    "day",
    "days",
    "weeks",
    "after",
    "tomorrow",
    "today",
    "from",
    "now",
    "friday",
    "fri",
    "mon",
    "march",
    "may",
    "dec.",
    "1st",
    "2nd",
    "3rd",
    "28th",
    "31",
    "5",
    "2027",
    "2026-12-24",
    "two",
    "few",
    "couple",
    "\"",
    "“",
    "”",
    ",",
    "call",
    "mom",
    "x",
    "is",
    "ÄÖÜ",
    "ǅ",
    "İ",
    "🎉",
    "\t",
    "\n",
    "!",
    "!30m",
    "!tomorrow",
    "remind",
    "me",
    "hour",
    "minutes",
    "9am",
    "!9am",
    "when",
    "it's",
];

/// One parser under search, called with a line.
type Parser = Box<dyn Fn(&str)>;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: enough for a search, and no dependency.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> String {
        if self.below(8) == 0 {
            // A long run of one character: the shapes that hurt substring and suffix work.
            let c = ['a', ' ', '"', ',', '1', 'é'][self.below(6)];
            return std::iter::repeat_n(c, 1 + self.below(4096)).collect();
        }
        WORDS[self.below(WORDS.len())].to_owned()
    }
    fn line(&mut self, max_bytes: usize) -> String {
        let mut line = String::new();
        let target = 1 + self.below(max_bytes);
        while line.len() < target {
            line.push_str(&self.word());
            line.push(' ');
        }
        truncate(line, max_bytes)
    }
    fn mutate(&mut self, input: &str, max_bytes: usize) -> String {
        let words: Vec<&str> = input.split(' ').collect();
        let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        match self.below(4) {
            0 => out.push(self.word()),
            1 if !out.is_empty() => {
                let at = self.below(out.len());
                out[at] = self.word();
            }
            2 if !out.is_empty() => {
                // Double a stretch: repetition is where quadratic work shows.
                let from = self.below(out.len());
                let to = (from + 1 + self.below(16)).min(out.len());
                let stretch = out[from..to].to_vec();
                out.splice(from..from, stretch);
            }
            _ => out.insert(0, self.word()),
        }
        truncate(out.join(" "), max_bytes)
    }
}

fn truncate(mut s: String, max_bytes: usize) -> String {
    while s.len() > max_bytes {
        s.pop();
    }
    s
}

/// The best of three runs: the search looks for slow inputs, not for a busy machine.
fn time(f: &dyn Fn(&str), input: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f(input);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let today = date(2026, 11, 25);
    let parsers: Vec<(&str, usize, Parser)> = vec![
        (
            "dates::parse",
            MAX_BYTES,
            Box::new(move |t| {
                std::hint::black_box(parse(t, today));
            }),
        ),
        (
            "dates::split_trailing_date",
            MAX_BYTES,
            Box::new(move |t| {
                std::hint::black_box(split_trailing_date(t, today));
            }),
        ),
        (
            "quick_add::split_quick_add",
            MAX_BYTES,
            Box::new(move |t| {
                std::hint::black_box(split_quick_add(t, today));
            }),
        ),
        (
            "QuickAdd::read",
            MAX_BYTES,
            Box::new(move |t| {
                std::hint::black_box(QuickAdd::read(t, today).ok());
            }),
        ),
        (
            "reminders::parse",
            MAX_BYTES,
            Box::new(move |t| {
                std::hint::black_box(reminders::parse(t, today));
                std::hint::black_box(reminders::parse_when(t, today));
            }),
        ),
    ];
    let mut failed = false;
    for (name, max_bytes, f) in &parsers {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
        let mut worst = (Duration::ZERO, String::new());
        for case in 0..cases {
            // Half fresh lines, half mutations of the slowest so far (a hill climb).
            let input = if case % 2 == 0 || worst.1.is_empty() {
                rng.line(*max_bytes)
            } else {
                rng.mutate(&worst.1, *max_bytes)
            };
            let took = time(f.as_ref(), &input);
            if took > worst.0 {
                worst = (took, input);
            }
        }
        let (took, input) = worst;
        let shown: String = input
            .chars()
            .take(80)
            .collect::<String>()
            .escape_debug()
            .to_string();
        println!(
            "{name}: slowest {:.3} ms on {} bytes ({:.1} ns/byte) after {cases} cases: \"{shown}{}\"",
            took.as_secs_f64() * 1e3,
            input.len(),
            took.as_nanos() as f64 / input.len().max(1) as f64,
            if input.chars().count() > 80 {
                "…"
            } else {
                ""
            },
        );
        if took > BOUND {
            eprintln!("{name}: {took:?} is over the bound of {BOUND:?}");
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
