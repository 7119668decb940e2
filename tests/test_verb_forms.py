"""A question's verb is found in a report in any of its forms ("become" in "became"): the stemmer cannot know
irregular verbs, so a question's word also counts where another form of its verb stands."""
from __future__ import annotations

import numpy as np

from ingest.text import stems
from qa.retriever import Query
from qa.verb_forms import OTHER_FORMS


def test_irregular_forms_share_a_group():
    assert OTHER_FORMS["becom"] == {"becam"} and "won" in OTHER_FORMS["win"] and "began" in OTHER_FORMS["begin"]
    assert "left" not in OTHER_FORMS and "found" not in OTHER_FORMS  # mostly other words


def test_a_question_word_counts_where_another_form_of_its_verb_stands():
    weights = {"becom": 1.0, "director": 1.0}
    forms = {t: OTHER_FORMS[t] for t in weights if t in OTHER_FORMS}
    query = Query("When did she become director?", "", np.zeros(1), np.zeros(1), list(weights), list(weights),
                  weights, 0.0, forms=forms)
    assert query.overlap(set(stems("Since I became director in July 2015"))) == 1.0
    assert query.overlap(set(stems("The director signed it"))) == 0.5
