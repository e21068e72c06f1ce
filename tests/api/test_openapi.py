"""The OpenAPI document names every schema once (issue 11, point 3): django-ninja names a
component by its class name, so two classes of the same name silently share one entry and one
of the endpoints is documented with the other's fields."""

from ninja import Schema

from guongsang.api.api import api


def _api_schemas() -> list[type]:
    found, todo = [], list(Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("guongsang."):
            found.append(cls)
    return found


def test_no_two_api_schemas_share_a_name():
    api.get_openapi_schema()  # every router imported
    by_name: dict[str, list[str]] = {}
    for cls in _api_schemas():
        by_name.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: where for n, where in by_name.items() if len(where) > 1} == {}


def test_the_answer_schemas_document_their_own_fields():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert set(schemas["TaskAnswerIn"]["properties"]) == {"note", "answer_document_id"}
    assert "met" in schemas["CriterionAnswerIn"]["properties"]
