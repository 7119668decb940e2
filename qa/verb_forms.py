"""The forms of English irregular verbs, so that a question's "become" finds a report's "became": a stemmer strips
endings ("processed" -> "process") but cannot know that "won" is "win" or "began" is "begin".

Query side only: the index keeps its stems, and a question's word also counts as found where another form of its
verb stands. Forms that are mostly other words ("left", "saw", "lay", "found", "rose", "lead", "bound") are left out.
"""
from __future__ import annotations

from ingest.text import stem

_GROUPS = """
arise arose arisen | awake awoke awoken | bear bore borne born | beat beaten | become became | begin began begun |
bend bent | bite bit bitten | bleed bled | blow blew blown | break broke broken | breed bred | bring brought |
build built | burn burnt | buy bought | catch caught | choose chose chosen | come came | creep crept | deal dealt |
dig dug | do did done | draw drew drawn | drink drank drunk | drive drove driven | eat ate eaten | fall fallen |
feed fed | feel felt | fight fought | flee fled | fly flew flown | forbid forbade forbidden | forget forgot forgotten |
forgive forgave forgiven | freeze froze frozen | get got gotten | give gave given | go went gone | grow grew grown |
hang hung | have has had | hear heard | hide hid hidden | hold held | keep kept | know knew known | lend lent |
lose lost | make made | mean meant | meet met | overcome overcame | pay paid | ride rode ridden | ring rang rung |
run ran | say said | seek sought | sell sold | send sent | shake shook shaken | shoot shot | shrink shrank shrunk |
sing sang sung | sink sank sunk | sit sat | sleep slept | speak spoke spoken | spend spent | spin spun |
stand stood | steal stole stolen | stick stuck | strike struck | swear swore sworn | sweep swept | swim swam swum |
take took taken | teach taught | tear tore torn | tell told | think thought | throw threw thrown |
undergo underwent undergone | understand understood | undertake undertook undertaken | wake woke woken |
wear wore worn | weep wept | win won | withdraw withdrew withdrawn | write wrote written
"""


def _forms() -> dict[str, frozenset[str]]:
    forms: dict[str, frozenset[str]] = {}
    for group in _GROUPS.split("|"):
        stems = frozenset(stem(word) for word in group.split())
        for s in stems:
            forms[s] = stems - {s}
    return forms


OTHER_FORMS = _forms()  # a stem -> the stems of its verb's other forms
# The past forms as written ("fought", "took", "met"): every form of a group but its first.
PAST_FORMS = frozenset(word for group in _GROUPS.split("|") for word in group.split()[1:])
