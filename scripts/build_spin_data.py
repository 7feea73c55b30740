#!/usr/bin/env python3
"""Build data/spin/spin.bin, the tables behind chaff's synonym-spin detector (src/detect/spin.rs).

Rerun it whenever the sources or the parameters below change:

    apt-get install wordnet-base mythes-en-us pocketsphinx-en-us   # Debian packages (sources)
    pip install pocketsphinx                                       # reads the CMU language model
    python3 scripts/build_spin_data.py [--out data/spin/spin.bin]

Sources (see data/spin/SOURCE.md for licences):
  * CMU US English generic language model, /usr/share/pocketsphinx/model/en-us/en-us.lm.bin
    (pocketsphinx-en-us, BSD-2-Clause): word log-probabilities, back-off weights and bigram
    log-probabilities. The lists of words and bigrams come from the pocketsphinx module's ARPA
    exporter, which is buggy (it crashes after the 2-gram section and writes garbage numbers), so
    it runs in a child process, the script checks that (nearly) all bigrams arrived, and every value
    is then read back with NGramModel.prob().
  * WordNet 3.0 (wordnet-base, WordNet licence): synonym sets (any sense, any part of speech) and the
    "similar to" links between adjectives; *.exc files for irregular inflections.
  * MyThes English thesaurus th_en_US_v2 (mythes-en-us, MPL-2.0): synonyms and similar terms.

What goes into the file (all integers little-endian):
  * vocabulary: lower-case words of the language model that the detector can use. Words with
    thesaurus neighbours ("candidates") come first, so that neighbour ids fit in 16 bits.
  * per word: quantised log10 P(word) and log10 back-off weight.
  * per candidate: its MAX_NEIGHBOURS most frequent thesaurus neighbours, inflected like the word
    itself (a plural's neighbours are plurals, a past tense's are past tenses), restricted to the
    vocabulary.
  * bigrams (a, b) where a or b is a candidate or an article, whose log10 P(b|a) exceeds the back-off
    estimate log10 bo(a) + log10 P(b) by more than DMIN; stored in a bucketed cuckoo hash table of
    16-bit entries: a 13-bit fingerprint and a 3-bit code of that excess (the "association").
    Bigrams absent from the table get the back-off estimate, as in the language model itself.

The hash functions and the layout must match src/detect/spin.rs (see `Model::parse` there).
"""

import argparse
import collections
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

LM = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
WN = "/usr/share/wordnet"
MYTHES = "/usr/share/mythes/th_en_US_v2.dat"

MAGIC = b"CHAFFSPN"
VERSION = 1
DMIN = 0.6  # keep a bigram only if it is this much (log10) above its back-off estimate
MAX_NEIGHBOURS = 8  # the most frequent neighbours kept per word (spin.rs tries them all)
# Codes for the association d = log10 P(b|a) - (log10 bo(a) + log10 P(b)); decoded by the centres.
D_EDGES = [0.8, 1.05, 1.35, 1.7, 2.1, 2.6, 3.3]
D_CENTRES = [0.68, 0.92, 1.2, 1.52, 1.9, 2.35, 2.92, 3.8]
ULP_STEP = 0.04  # log10 P(word) stored as round(-lp / ULP_STEP), u8
BO_STEP = 0.01  # log10 back-off stored as round((0.1 - bo) / BO_STEP), u8
LOAD = 0.95  # cuckoo table load factor
ARTICLES = ("a", "an", "the")
WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
MASK64 = (1 << 64) - 1


def die(msg):
    sys.exit(f"build_spin_data: {msg}")


# ---------------------------------------------------------------- language model


def export_arpa(path):
    """Writes the CMU model as ARPA text to `path` in a child process (which may crash at the end)."""
    code = (
        "import sys\n"
        "from pocketsphinx import NGramModel\n"
        "NGramModel.readfile(sys.argv[1]).write(sys.argv[2], 1)\n"
    )
    subprocess.run([sys.executable, "-c", code, LM, path], check=False)


def load_lm(tmpdir):
    try:
        from pocketsphinx import NGramModel
    except ImportError:
        die("pip install pocketsphinx")
    if not os.path.exists(LM):
        die(f"{LM} missing: apt-get install pocketsphinx-en-us")
    arpa = os.path.join(tmpdir, "lm.arpa")
    export_arpa(arpa)
    declared = {}
    raw_uni, raw_big = {}, {}
    sec = 0
    with open(arpa, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("ngram "):
                n, c = line[6:].strip().split("=")
                declared[int(n)] = int(c)
                continue
            if line.startswith("\\1-grams"):
                sec = 1
                continue
            if line.startswith("\\2-grams"):
                sec = 2
                continue
            if line.startswith("\\3-grams"):
                break
            p = line.rstrip("\n").split("\t")
            if sec == 1 and len(p) == 3:
                raw_uni[p[1]] = (float(p[0]), float(p[2]))
            elif sec == 2 and len(p) >= 3:
                raw_big[(p[1], p[2])] = float(p[0])
    if len(raw_uni) != declared.get(1) or len(raw_big) < 0.999 * declared.get(2, 1):
        die(f"ARPA export incomplete: {len(raw_uni)} unigrams, {len(raw_big)} bigrams of {declared}")
    # The exporter's numbers are garbage (it converts with an uninitialised log base), so only the
    # word lists are taken from it; every value comes from NGramModel.prob(), in log base 1.0001.
    m = NGramModel.readfile(LM)
    k = math.log10(1.0001)
    follows = collections.defaultdict(set)
    for a, b in raw_big:
        follows[a].add(b)
    probes = sorted((w for w in raw_uni if w.isalpha()), key=lambda w: m.prob([w]))[:50]
    uni, bo_int = {}, {}
    for w in raw_uni:
        lp = m.prob([w]) * k
        x = next(x for x in probes if x not in follows[w] and x != w)
        bo_int[w] = m.prob([x, w]) - m.prob([x])  # P(x | w) = bo(w) P(x) when (w, x) is unseen
        uni[w] = (lp, bo_int[w] * k)
    big = {(a, b): m.prob([b, a]) * k for a, b in raw_big}
    # The exporter lists bigrams by second word in vocabulary order and loses the last few in its
    # crash. For the last 30 second words it wrote, and every word after them, rebuild the bigram
    # list by asking the model about every first word: a pair is explicit when its probability
    # differs from the back-off estimate. This makes the result independent of where the crash hit.
    order = list(raw_uni)
    seen = []
    for _, b in raw_big:
        if not seen or seen[-1] != b:
            seen.append(b)
    tail = set(order[order.index(seen[-30]):])
    big = {key: v for key, v in big.items() if key[1] not in tail}
    for b in sorted(tail):
        pb = m.prob([b])
        for a in order:
            v = m.prob([b, a])
            if abs(v - (pb + bo_int[a])) > 1:  # the sum is rounded: off by one when unseen
                big[(a, b)] = v * k
    if abs(big[("air", "strikes")] - (-2.7079)) > 0.001:
        die("language model values differ from the expected ones (air strikes)")
    print(f"LM: {len(uni)} words, {len(big)} bigrams (declared {declared})")
    return uni, big


# ---------------------------------------------------------------- thesaurus

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
RULES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


def wordnet():
    """Lemma-level neighbours {(lemma, pos): set(words)} and the exception lists."""
    for name in POS:
        if not os.path.exists(f"{WN}/data.{name}"):
            die(f"{WN}/data.{name} missing: apt-get install wordnet-base")
    synsets = []
    off2i = {}
    for name, p in POS.items():
        with open(f"{WN}/data.{name}", encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                t = line.split()
                n = int(t[3], 16)
                words = [re.sub(r"\(.*\)$", "", t[4 + 2 * i]).lower() for i in range(n)]
                k = 4 + 2 * n
                similar = []
                for _ in range(int(t[k])):
                    sym, off = t[k + 1], t[k + 2]
                    k += 4
                    if sym == "&":
                        similar.append(off)
                off2i[(t[0], p)] = len(synsets)
                synsets.append((p, [w for w in words if "_" not in w], similar))
    lem = collections.defaultdict(set)
    for p, ws, similar in synsets:
        for w in ws:
            lem[(w, p)].update(x for x in ws if x != w)
        for off in similar:
            j = off2i.get((off, p))
            if j is None:
                continue
            for w in ws:
                for x in synsets[j][1]:
                    if x != w:
                        lem[(w, p)].add(x)
                        lem[(x, p)].add(w)
    exc = collections.defaultdict(list)
    for name, p in POS.items():
        with open(f"{WN}/{name}.exc", encoding="latin-1") as f:
            for line in f:
                t = line.split()
                for lemma in t[1:]:
                    exc[t[0]].append((lemma, p))
    return lem, exc


def mythes(lem):
    if not os.path.exists(MYTHES):
        die(f"{MYTHES} missing: apt-get install mythes-en-us")
    pm = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
    with open(MYTHES, encoding="utf-8") as f:
        f.readline()
        cur = None
        for line in f:
            t = line.rstrip("\n").split("|")
            if not t[0].startswith("("):
                cur = t[0].lower()
                continue
            p = pm.get(t[0].strip("()"))
            if not p or " " in cur:
                continue
            for x in t[1:]:
                if x.endswith(("(antonym)", "(generic term)", "(related term)")):
                    continue
                x = x.replace(" (similar term)", "").lower()
                if " " in x or x == cur:
                    continue
                lem[(cur, p)].add(x)
                lem[(x, p)].add(cur)


def form_of(word, p):
    if p == "n":
        return "pl"
    if p == "v":
        if word.endswith("ing"):
            return "ing"
        return "3sg" if word.endswith("s") else "past"
    if p == "a":
        if word.endswith("est"):
            return "sup"
        if word.endswith("er"):
            return "cmp"
    return "base"


def analyses(word, exc, known):
    """(lemma, pos, form) readings of an inflected or base word."""
    out = set()
    for p in "nvar":
        if (word, p) in known:
            out.add((word, p, "base"))
    for lemma, p in exc.get(word, []):
        if (lemma, p) in known:
            out.add((lemma, p, form_of(word, p)))
    for p, rules in RULES.items():
        for a, b in rules:
            if word.endswith(a) and len(word) > len(a) + 1:
                lemma = word[: -len(a)] + b
                if (lemma, p) in known:
                    out.add((lemma, p, form_of(word, p)))
    for suf in ("ed", "ing", "er", "est"):
        n = len(suf)
        if word.endswith(suf) and len(word) > n + 2 and word[-n - 1] == word[-n - 2]:
            lemma = word[: -n - 1]
            for p in "va":
                if (lemma, p) in known:
                    out.add((lemma, p, form_of(word, p)))
    return out


def inflect(s, p, form, rexc):
    if form == "base":
        return [s]
    got = rexc.get((s, p, form))
    if got:
        return got
    vowels = "aeiou"
    if form in ("pl", "3sg"):
        if s.endswith("y") and len(s) > 1 and s[-2] not in vowels:
            return [s[:-1] + "ies"]
        if s.endswith(("s", "x", "z", "ch", "sh")):
            return [s + "es"]
        return [s + "s"]
    suf = {"past": "ed", "ing": "ing", "cmp": "er", "sup": "est"}[form]
    if s.endswith("e"):
        return [s[:-1] + suf]
    if s.endswith("y") and len(s) > 1 and s[-2] not in vowels and suf != "ing":
        return [s[:-1] + "i" + suf]
    return [s + suf, s + s[-1] + suf]


def neighbours(vocab):
    lem, exc = wordnet()
    mythes(lem)
    rexc = collections.defaultdict(list)
    for w, lst in exc.items():
        for lemma, p in lst:
            rexc[(lemma, p, form_of(w, p))].append(w)
    known = set(lem)
    nb = {}
    for w in vocab:
        if w in ARTICLES:
            continue
        s = set()
        for lemma, p, form in analyses(w, exc, known):
            for x in lem.get((lemma, p), ()):
                for y in inflect(x, p, form, rexc):
                    if y in vocab and y != w and y not in ARTICLES:
                        s.add(y)
        if s:
            nb[w] = s
    return nb


# ---------------------------------------------------------------- hashing (mirrored in spin.rs)


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def bigram_slots(a, b, nbuckets):
    h = splitmix64((a << 32) | b)
    b1 = ((h & 0xFFFFFFFF) * nbuckets) >> 32
    b2 = (((h >> 32) & 0xFFFFFFFF) * nbuckets) >> 32
    if b2 == b1:
        b2 = (b1 + 1) % nbuckets
    # The fingerprint must not reuse the bits that chose the buckets: re-mix before taking it.
    fp = (((h ^ (h >> 29)) * 0xD6E8FEB86659FD93) & MASK64) >> 51
    if fp == 0:
        fp = 1
    return b1, b2, fp


def cuckoo(entries, seed=1):
    """entries: list of (a, b, code). Returns (nbuckets, table as list of 4*nbuckets u16)."""
    import random

    rnd = random.Random(seed)
    nbuckets = int(len(entries) / (4 * LOAD)) + 1
    table = [0] * (4 * nbuckets)
    keys = [None] * (4 * nbuckets)
    for a, b, code in entries:
        b1, b2, fp = bigram_slots(a, b, nbuckets)
        item = ((a, b), (b1, b2), (fp << 3) | code)
        for _ in range(5000):
            (k, (c1, c2), val) = item
            placed = False
            for bk in (c1, c2):
                for s in range(4 * bk, 4 * bk + 4):
                    if table[s] == 0:
                        table[s] = val
                        keys[s] = (k, (c1, c2))
                        placed = True
                        break
                if placed:
                    break
            if placed:
                break
            bk = rnd.choice((c1, c2))
            s = 4 * bk + rnd.randrange(4)
            old = (keys[s][0], keys[s][1], table[s])
            table[s] = val
            keys[s] = (k, (c1, c2))
            item = old
        else:
            die("cuckoo insertion failed; lower LOAD")
    return nbuckets, table


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "spin", "spin.bin"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        uni, big = load_lm(tmp)
    vocab_all = {w for w in uni if WORD_RE.fullmatch(w)}
    nb = neighbours(vocab_all)
    cand = set(nb) | {x for v in nb.values() for x in v}
    print(f"thesaurus: {len(nb)} words with neighbours, {sum(map(len, nb.values()))} links")

    kept = []
    for (a, b), lp in big.items():
        if a not in vocab_all or b not in vocab_all:
            continue
        if not (a in cand or b in cand or a in ARTICLES or b in ARTICLES):
            continue
        d = lp - (uni[a][1] + uni[b][0])
        if d > DMIN:
            kept.append((a, b, d))
    context = {a for a, _, _ in kept} | {b for _, b, _ in kept}
    first = sorted(cand)
    rest = sorted((context | set(ARTICLES)) - cand)
    words = first + rest
    if len(first) > 65535:
        die("too many candidate words for 16-bit neighbour ids")
    wid = {w: i for i, w in enumerate(words)}
    print(f"vocabulary: {len(words)} words ({len(first)} candidates); bigrams kept: {len(kept)}")

    def code(d):
        c = 0
        while c < len(D_EDGES) and d >= D_EDGES[c]:
            c += 1
        return c

    entries = [(wid[a], wid[b], code(d)) for a, b, d in kept]
    entries.sort()
    nbuckets, table = cuckoo(entries)

    ulp = bytes(min(255, max(0, round(-uni[w][0] / ULP_STEP))) for w in words)
    bo = bytes(min(255, max(0, round((0.1 - uni[w][1]) / BO_STEP))) for w in words)
    offs = [0]
    nbids = []
    for w in first:
        # The most frequent neighbours, most frequent first.
        ids = sorted((wid[x] for x in nb.get(w, ()) if wid[x] < len(first)),
                     key=lambda i: (-uni[words[i]][0], i))[:MAX_NEIGHBOURS]
        nbids.extend(ids)
        offs.append(len(nbids))
    word_blob = "\n".join(words).encode("ascii")

    out = bytearray()
    out += MAGIC
    out += struct.pack("<IIIIII", VERSION, len(words), len(first), len(nbids), nbuckets,
                       len(word_blob))
    out += struct.pack("<8f", *D_CENTRES)
    out += struct.pack("<ff", ULP_STEP, BO_STEP)
    out += word_blob
    out += ulp + bo
    out += struct.pack(f"<{len(offs)}I", *offs)
    out += struct.pack(f"<{len(nbids)}H", *nbids)
    out += struct.pack(f"<{len(table)}H", *table)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(out)
    print(f"wrote {args.out}: {len(out)} bytes ({nbuckets} buckets)")


if __name__ == "__main__":
    main()
