"""One score read by id (``access.get_score``) follows exactly the rule of the readable
scores list (``services.scores_for``), for every user of the cast and every score of two
blocks in every state."""

from __future__ import annotations

import pytest
from django.http import Http404

from guongsang.emulation import access, services

from ..factories import Role, make_user
from .test_ranking_pages import final, make_world, submitted

pytestmark = pytest.mark.django_db


def test_one_score_is_read_by_the_rule_of_the_list(cast):
    w = make_world(cast)
    scores = [
        final(w, cast.commune_a, 55),
        submitted(w, cast.commune_b, 45),
        final(w, w.commune_c, 50),
        submitted(w, w.commune_d, 40),
    ]
    draft = services.score_open(
        by=w.e_staff, block=w.one, unit=w.commune_e, table=w.table
    )  # Quang Trung, still drafting
    scores.append(draft)
    users = [
        cast.province_admin,
        cast.a_staff,
        cast.b_staff,
        cast.branch_viewer,
        cast.outsider,
        w.c_staff,
        w.d_staff,
        w.e_staff,
        make_user(cast.central, Role.ADMIN, username="tw.emulation"),
        None,
    ]
    checked = 0
    for user in users:
        readable = set(services.scores_for(user).values_list("pk", flat=True))
        for score in scores:
            try:
                access.get_score(user, score.pk)
                one = True
            except Http404:
                one = False
            assert one == (score.pk in readable), (user, score.unit, score.state)
            checked += 1
    assert checked == len(users) * len(scores)
    # The cases that matter, spelt out: Quang Trung (a plain member of cluster 1) reads its
    # block's final score but not a neighbour's unfinished one, nor cluster 2's scores; the
    # outsider reads nothing.
    a_final, b_submitted, c_final = scores[0], scores[1], scores[2]
    assert access.get_score(w.e_staff, a_final.pk) == a_final
    for hidden in (b_submitted, c_final):
        with pytest.raises(Http404):
            access.get_score(w.e_staff, hidden.pk)
    for score in scores:
        with pytest.raises(Http404):
            access.get_score(cast.outsider, score.pk)
