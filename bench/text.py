"""Plausible prose for the bench dataset: a pool of paragraphs made once from a smart-city vocabulary.

Rows are as wide as real ones (a proposal carries several kilobytes of text), which is what makes a list that
fetches every column slow; the words only need to look like a proposal, not to mean anything. Deterministic for
a given random generator, and fast: fields are slices of the pool, not freshly generated text.
"""

import random

VOCABULARY = (
    "city municipal regional national smart mobility transport bus rapid transit corridor traffic signal control "
    "centre data platform digital twin sensor network water supply leakage detection metering energy grid solar "
    "micro-grid street lighting waste collection recycling flood early warning drainage resilience climate "
    "adaptation housing land use zoning master plan feasibility study pilot district residents services "
    "e-government permit portal open data dashboard integrated operations safety camera emergency response "
    "health clinic welfare accessibility pedestrian cycling parking tariff ticketing fare revenue budget "
    "co-financing ministry province county partnership Korean experts training capacity building workshop "
    "consultant survey baseline indicators targets outcomes monitoring evaluation phase year procurement "
    "standards interoperability cloud network fibre connectivity coverage population growth informal "
    "settlement port logistics industrial zone tourism heritage river coastal air quality emissions"
)
WORDS = VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(9, 22))
    return " ".join(words).capitalize() + "."


def paragraph_pool(rng: random.Random, size: int = 240) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(3, 7))) for _ in range(size)]


class Prose:
    """Text of about a given length, cut at a word and never longer than the field allows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pool = paragraph_pool(rng)

    def text(self, approx: int, limit: int) -> str:
        parts, length = [], 0
        while length < approx:
            paragraph = self.rng.choice(self.pool)
            parts.append(paragraph)
            length += len(paragraph) + 2
        text = "\n\n".join(parts)
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0]
        return text

    def line(self, limit: int = 120) -> str:
        sentence = _sentence(self.rng).rstrip(".")
        return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0]
