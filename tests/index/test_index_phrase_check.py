"""The phrase check's shortcut (a lowercase substring test before the regex)
finds exactly what the plain regex scan finds."""

import random

import pytest

from tui_reader.core.index.checks import phrase_check, phrase_parts

WORDS = ["chain", "Chain", "CHAINS", "cha\u0131n", "cha\u0130n", "thought", "THOUGHTS", "thou", "of", "the", "a",
         "\u017ftate", "state", "art", "arts", "mixture", "experts", "gauge", "theory", "theories", "\u212aey", "key",
         "x", "_", "-", " ", ",", "扩散", "é", "chainof", "ofthought", "\u03a3"]
GLUE = [" ", "", " of the ", "-", "\u0130"]


@pytest.mark.parametrize("phrase", ["chain of thought", "state of the art", "gauge theory", "key chain",
                                    "chain chain", "art"])
def test_phrase_check_agrees_with_the_regex_scan(phrase):
    pattern, _ = phrase_parts(phrase)
    rnd = random.Random(phrase)
    for accept in (lambda f: len(f) % 3 == 1, lambda f: f[:1].islower(), lambda f: True):
        check = phrase_check(phrase, accept)
        for _ in range(1500):
            hay = "".join(rnd.choice(WORDS) + rnd.choice(GLUE) for _ in range(rnd.randint(1, 12)))
            assert check(hay) == any(accept(m.group(0)) for m in pattern.finditer(hay)), hay


def test_phrase_check_folds_what_the_regex_folds():
    check = phrase_check("state of the art", lambda f: True)
    assert check("the \u017fTATE of the ART")  # long s: re.IGNORECASE takes it for s
    assert check("x STATE-OF-THE-ART y")
    assert not check("the art of the state")
