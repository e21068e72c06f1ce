# The exemplar pipeline's fixtures, for the background export tests.
from tests.exemplars.conftest import (  # noqa: F401
    criteria_set,
    movement,
    review_round,
    reviewer,
    world,
)
