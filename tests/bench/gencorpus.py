#!/usr/bin/env python3
"""gencorpus.py: a deterministic synthetic corpus of diplomatic news.

Writes N articles of the genre newskg reads (a headline, a " date
YYYY-MM-DD" line, a dateline, officials with their titles and countries,
meetings, cooperation in sectors, and paragraphs of noise), either as one
plain-text file per article in a directory or as JSON Lines (id, url, date,
title, text). The same --seed and --articles always give the same bytes, and
the first N articles of a larger corpus are the N articles of a smaller one.

The templates, names and sentences are invented for benchmarking; they are
not taken from any real article.

  gencorpus.py --articles 1000 --out DIR         one .txt file per article
  gencorpus.py --articles 1000 --jsonl FILE      JSON Lines (- for stdout)
"""
import argparse
import json
import os
import random
import sys

# country, demonym, capital, other city
COUNTRIES = [
    ("Pakistan", "Pakistani", "Islamabad", "Lahore"),
    ("Japan", "Japanese", "Tokyo", "Osaka"),
    ("China", "Chinese", "Beijing", "Shanghai"),
    ("India", "Indian", "New Delhi", "Mumbai"),
    ("Bangladesh", "Bangladeshi", "Dhaka", "Chittagong"),
    ("Sri Lanka", "Sri Lankan", "Colombo", "Kandy"),
    ("Nepal", "Nepali", "Kathmandu", "Pokhara"),
    ("Thailand", "Thai", "Bangkok", "Chiang Mai"),
    ("Malaysia", "Malaysian", "Kuala Lumpur", "Penang"),
    ("Indonesia", "Indonesian", "Jakarta", "Surabaya"),
    ("Vietnam", "Vietnamese", "Hanoi", "Ho Chi Minh City"),
    ("Philippines", "Philippine", "Manila", "Cebu"),
    ("Australia", "Australian", "Canberra", "Sydney"),
    ("Germany", "German", "Berlin", "Munich"),
    ("France", "French", "Paris", "Lyon"),
    ("Italy", "Italian", "Rome", "Milan"),
    ("Turkey", "Turkish", "Ankara", "Istanbul"),
    ("Egypt", "Egyptian", "Cairo", "Alexandria"),
    ("Kenya", "Kenyan", "Nairobi", "Mombasa"),
    ("Ghana", "Ghanaian", "Accra", "Kumasi"),
    ("Nigeria", "Nigerian", "Abuja", "Lagos"),
    ("Ethiopia", "Ethiopian", "Addis Ababa", "Dire Dawa"),
    ("Brazil", "Brazilian", "Brasilia", "Sao Paulo"),
    ("Mexico", "Mexican", "Mexico City", "Monterrey"),
    ("Canada", "Canadian", "Ottawa", "Toronto"),
    ("Uzbekistan", "Uzbek", "Tashkent", "Samarkand"),
    ("Kazakhstan", "Kazakh", "Astana", "Almaty"),
    ("Qatar", "Qatari", "Doha", "Al Wakrah"),
    ("Oman", "Omani", "Muscat", "Salalah"),
    ("Zambia", "Zambian", "Lusaka", "Ndola"),
    ("Rwanda", "Rwandan", "Kigali", "Butare"),
    ("Cambodia", "Cambodian", "Phnom Penh", "Siem Reap"),
]

AGENCIES = ["APP", "NNA", "PNA", "BSS", "Xinhua", "AFP", "Reuters", "ANI"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday"]

# title templates: {c} country, {d} demonym
TITLES = [
    "Foreign Minister", "Minister of Foreign Affairs", "Prime Minister",
    "Finance Minister", "Minister for Commerce and Industry",
    "Minister of Energy", "Minister of Agriculture", "Defence Minister",
    "Minister for Planning and Development", "Deputy Prime Minister",
    "State Minister for Trade", "Minister of Health", "President",
]
ENVOYS = ["Ambassador", "High Commissioner", "Envoy", "Ambassador-designate"]

SECTORS = [
    "trade", "investment", "energy", "agriculture", "education", "health",
    "tourism", "information technology", "defence", "renewable energy",
    "infrastructure", "textiles", "fisheries", "railways", "mining",
    "climate change", "science and technology", "pharmaceuticals",
]

GIVEN = ["Ali", "Ahmed", "Hiroshi", "Kenji", "Li", "Wei", "Arjun", "Ravi",
         "Nimal", "Sunil", "Somchai", "Anan", "Ibrahim", "Hassan", "Budi",
         "Joko", "Nguyen", "Tran", "Maria", "Ana", "Klaus", "Anna", "Pierre",
         "Claire", "Marco", "Giulia", "Mehmet", "Ayse", "Samuel", "Grace",
         "Kwame", "Ama", "Chinedu", "Ngozi", "Abebe", "Tigist", "Lucas",
         "Camila", "Diego", "Sofia", "Rustam", "Dilnoza", "Aidos", "Aigerim",
         "Khalid", "Fatima", "Mwansa", "Chanda", "Jean", "Claudine", "Sokha",
         "Dara"]
SYLL = ["ka", "ro", "mi", "ta", "na", "shi", "ba", "ra", "zu", "en", "ko",
        "li", "sa", "do", "var", "gu", "pe", "lan", "mor", "tin", "sel", "hu",
        "dri", "bek", "ov", "ani", "ema", "ito", "uru", "wal"]

NOISE = [
    "Weather officials forecast light rain in the northern districts over "
    "the weekend, with temperatures dropping by two to three degrees.",
    "The local stock index closed {pct} percent higher on {wd}, led by "
    "banking and cement shares.",
    "In domestic football, the home side won the cup final after a penalty "
    "shoot-out that lasted nearly twenty minutes.",
    "Traffic was diverted from the main avenue for several hours because of "
    "road repairs near the old market.",
    "A book fair opened at the national library and will run for ten days, "
    "organisers said.",
    "The city council approved a budget of {num} million for new buses and "
    "the repair of {num2} school buildings.",
    "Prices of vegetables rose in the wholesale market after heavy rains "
    "disrupted supplies from the farms.",
    "The cricket board announced the squad for the upcoming series, with "
    "two uncapped players included.",
    "Police said a fire at a warehouse on the outskirts was brought under "
    "control and no one was injured.",
    "Students staged a peaceful walk to mark the anniversary of the "
    "founding of the university.",
]

CLOSERS = [
    "The meeting ended with an agreement to hold the next round of talks "
    "in {city} next year.",
    "Both sides agreed to set up a joint working group to follow up on the "
    "decisions taken.",
    "The two officials also exchanged views on regional and international "
    "issues of mutual interest.",
    "Officials said a memorandum of understanding would be signed during "
    "the coming visit.",
]


class Gen:
    def __init__(self, seed):
        self.seed = seed
        # a fixed pool of officials, so that names recur across articles
        r = random.Random(seed * 7919 + 1)
        self.officials = []
        for i in range(3000):
            given = r.choice(GIVEN)
            family = "".join(r.choice(SYLL) for _ in range(r.randint(2, 3)))
            c = r.randrange(len(COUNTRIES))
            self.officials.append((given + " " + family.capitalize(), c))

    def official(self, r, country=None):
        while True:
            name, c = self.officials[r.randrange(len(self.officials))]
            if country is None or c == country:
                return name, c
            # keep looking; every country has ~90 officials
            if r.random() < 0.02:
                return name, country

    def sentence_noise(self, r, k):
        return NOISE[k].format(pct=round(r.uniform(0.1, 2.5), 2),
                                      wd=r.choice(WEEKDAYS),
                                      num=r.randint(5, 900),
                                      num2=r.randint(2, 60))

    def noise_paragraph(self, r, lo, hi):
        return " ".join(self.sentence_noise(r, k)
                        for k in r.sample(range(len(NOISE)), r.randint(lo, hi)))

    def article(self, i):
        r = random.Random(self.seed * 1000003 + i)
        a, b = r.sample(range(len(COUNTRIES)), 2)
        ca, cb = COUNTRIES[a], COUNTRIES[b]
        name_a, _ = self.official(r, a)
        name_b, _ = self.official(r, b)
        title_a = r.choice(TITLES)
        envoy = r.random() < 0.4
        title_b = r.choice(ENVOYS) if envoy else r.choice(TITLES)
        s1, s2 = r.sample(SECTORS, 2)
        y, m, d = r.randint(2015, 2024), r.randint(1, 12), r.randint(1, 28)
        date = "%04d-%02d-%02d" % (y, m, d)
        city = ca[2] if r.random() < 0.7 else ca[3]
        agency = r.choice(AGENCIES)
        wd = r.choice(WEEKDAYS)

        title = r.choice([
            "%s and %s agree to expand cooperation in %s" % (ca[0], cb[0], s1),
            "%s %s meets %s counterpart" % (ca[1], title_a, cb[1]),
            "%s, %s discuss %s and %s ties" % (ca[0], cb[0], s1, s2),
            "Talks held on boosting %s with %s" % (s1, cb[0]),
        ])
        paras = []
        if envoy:
            first = ("%s, %s %d (%s): %s of %s %s met the %s of %s to %s, "
                     "%s, here on %s." % (
                         city.upper() if r.random() < 0.5 else city,
                         MONTHS[m - 1], d, agency, title_a, ca[0], name_a,
                         title_b, cb[0], ca[0], name_b, wd))
        else:
            first = ("%s, %s %d (%s): %s %s %s held talks with %s %s %s "
                     "in %s on %s." % (
                         city.upper() if r.random() < 0.5 else city,
                         MONTHS[m - 1], d, agency, ca[1], title_a, name_a,
                         cb[1], title_b, name_b, city, wd))
        paras.append(first)
        paras.append(
            "During the meeting, both sides discussed ways to strengthen "
            "bilateral cooperation in %s, %s and people-to-people contacts. "
            "%s said that %s attached great importance to its relations "
            "with %s." % (s1, s2, name_a, ca[0], cb[0]))
        for _ in range(r.randint(1, 3)):
            paras.append(self.noise_paragraph(r, 2, 4))
        paras.append(
            "The %s side expressed its desire to increase investment in the "
            "%s sector, and the two countries agreed to cooperate in %s. "
            "Bilateral trade stood at %d.%d billion dollars last year, "
            "officials said." % (cb[1], s2, s1, r.randint(1, 40),
                                 r.randint(0, 9)))
        if r.random() < 0.5:
            other, oc = self.official(r)
            paras.append(
                "Separately, %s %s %s called on %s and discussed matters "
                "of %s. The minister briefed the visitor on the progress "
                "of ongoing projects." % (
                    COUNTRIES[oc][1], r.choice(TITLES), other, name_a,
                    r.choice(SECTORS)))
        for _ in range(r.randint(1, 4)):
            paras.append(self.noise_paragraph(r, 2, 5))
        paras.append(r.choice(CLOSERS).format(city=cb[2]))
        text = "\n\n".join(paras) + "\n"
        url = "https://news.example.org/%d/%02d/%s-%06d" % (
            y, m, ca[0].lower().replace(" ", "-"), i)
        return {"id": "a%06d" % i, "url": url, "date": date,
                "title": title, "text": text}


def as_text(art):
    return "%s\n date %s\n\n%s" % (art["title"], art["date"], art["text"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="directory for one .txt file per article")
    ap.add_argument("--jsonl", help="JSON Lines file, or - for stdout")
    o = ap.parse_args()
    if not o.out and not o.jsonl:
        ap.error("give --out DIR or --jsonl FILE")
    g = Gen(o.seed)
    if o.out:
        os.makedirs(o.out, exist_ok=True)
        for i in range(o.articles):
            art = g.article(i)
            with open(os.path.join(o.out, art["id"] + ".txt"), "w",
                      encoding="utf-8") as f:
                f.write(as_text(art))
    if o.jsonl:
        f = sys.stdout if o.jsonl == "-" else open(o.jsonl, "w",
                                                    encoding="utf-8")
        for i in range(o.articles):
            f.write(json.dumps(g.article(i), ensure_ascii=False) + "\n")
        if f is not sys.stdout:
            f.close()


if __name__ == "__main__":
    main()
