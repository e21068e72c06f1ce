"""The audit app sits low: every domain app records through ``guongsang.audit.services``, so
the audit app itself may import only core, units and accounts."""

from tests.core.test_layers import PACKAGE, imported_modules

ALLOWED = ("core", "units", "accounts", "audit")


def test_audit_imports_only_core_units_and_accounts():
    above = [
        (where, module)
        for where, module in imported_modules(PACKAGE / "audit")
        if module.startswith("guongsang.") and module.split(".")[1] not in ALLOWED
    ]
    assert above == []


def test_the_layer_list_knows_the_audit_app():
    from tests.core import test_layers

    assert "audit" in test_layers.APPS
