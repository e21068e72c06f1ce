"""Award history services: what is checked, in Vietnamese, and what is refused to whom."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guongsang.awards import services
from guongsang.awards.models import Award, AwardSource

from .conftest import BANG_KHEN_TINH, CSTD_CS, GDVH, LDTT, TTLDTT


def messages(exc: ValidationError) -> dict:
    return exc.value.message_dict


def test_add_from_catalogue_and_by_name(aw, today):
    award = aw.give(
        aw.individual, LDTT, 2024, decision_number=" 12/QĐ-UBND ", conferred_by="UBND xã"
    )
    assert (award.name, award.decision_number, award.source) == (
        "Lao động tiên tiến",
        "12/QĐ-UBND",
        AwardSource.MANUAL,
    )
    assert award.unit_path == aw.individual.unit_path and award.warnings == []
    # A name typed by hand finds its catalogue entry (folded) when it applies to the kind.
    typed = services.award_add(
        subject=aw.household, by=aw.cast.a_staff, name="gia dinh  van hoa", year=2025
    )
    assert typed.award_type == aw.catalogue[GDVH] and typed.name == "Gia đình văn hóa"
    # Not for an individual: kept as written, without an entry.
    text = services.award_add(
        subject=aw.individual, by=aw.cast.a_staff, name="Gia đình văn hóa", year=2025
    )
    assert text.award_type is None and text.name == "Gia đình văn hóa"
    other = services.award_add(
        subject=aw.individual, by=aw.cast.a_staff, name="Giải nhất hội thi dân vũ", year=2023
    )
    assert other.award_type is None
    assert aw.history(aw.individual) == [
        ("Giải nhất hội thi dân vũ", 2023),
        ("Lao động tiên tiến", 2024),
        ("Gia đình văn hóa", 2025),
    ]


def test_validation_messages(aw, today):
    with pytest.raises(ValidationError) as exc:
        aw.give(aw.household, LDTT, 2024)
    assert messages(exc) == {"award_type": ["“Lao động tiên tiến” không áp dụng cho hộ gia đình."]}
    with pytest.raises(ValidationError) as exc:
        aw.give(aw.individual, TTLDTT, 2024)
    assert messages(exc) == {
        "award_type": ["“Tập thể lao động tiên tiến” không áp dụng cho cá nhân."]
    }
    with pytest.raises(ValidationError) as exc:
        services.award_add(subject=aw.individual, by=aw.cast.a_staff, name="  ", year=2024)
    assert messages(exc) == {"award_type": ["Chọn danh hiệu, hình thức khen thưởng hoặc nhập tên."]}
    for year in (1944, today.year + 1):
        with pytest.raises(ValidationError) as exc:
            aw.give(aw.individual, LDTT, year)
        assert messages(exc) == {"year": [f"Năm phải từ 1945 đến {today.year}."]}
    aw.give(aw.individual, LDTT, 2024)
    with pytest.raises(ValidationError) as exc:
        aw.give(aw.individual, LDTT, 2024)
    assert messages(exc) == {"year": ["Đối tượng đã có “Lao động tiên tiến” năm 2024."]}
    with pytest.raises(ValidationError) as exc:
        aw.give(aw.individual, CSTD_CS, 2024, decision_date=today + dt.timedelta(days=1))
    assert messages(exc) == {"decision_date": ["Ngày quyết định không được sau hôm nay."]}
    with pytest.raises(ValidationError) as exc:
        aw.give(aw.individual, CSTD_CS, 2024, decision_number="12\x00", conferred_by="x" * 201)
    assert messages(exc) == {
        "decision_number": ["Số quyết định chứa ký tự không hợp lệ."],
        "conferred_by": ["Cấp tặng dài quá 200 ký tự."],
    }
    assert Award.objects.filter(subject=aw.individual).count() == 1
    # A decision dated outside the year and the next is a warning, never a refusal.
    award = aw.give(aw.individual, CSTD_CS, 2024, decision_date=dt.date(2022, 12, 30))
    assert award.warnings == [
        "Ngày quyết định 30/12/2022 không thuộc năm 2024 hoặc năm sau; hãy kiểm tra lại."
    ]
    assert aw.give(aw.individual, CSTD_CS, 2023, decision_date=dt.date(2024, 1, 15)).warnings == []


def test_update_and_delete(aw):
    award = aw.give(aw.collective, TTLDTT, 2023)
    aw.give(aw.collective, TTLDTT, 2024)
    with pytest.raises(ValidationError) as exc:
        services.award_update(award=award, by=aw.cast.a_staff, year=2024)
    assert messages(exc) == {"year": ["Đối tượng đã có “Tập thể lao động tiên tiến” năm 2024."]}
    changed = services.award_update(
        award=award,
        by=aw.cast.a_staff,
        award_type=aw.catalogue[BANG_KHEN_TINH],
        decision_number="5/QĐ-HPN",
    )
    assert (changed.name, changed.year, changed.decision_number) == (
        "Bằng khen của Hội LHPN tỉnh",
        2023,
        "5/QĐ-HPN",
    )
    services.award_delete(award=changed, by=aw.cast.a_staff)
    assert aw.history(aw.collective) == [("Tập thể lao động tiên tiến", 2024)]


def test_only_the_subjects_unit_records(aw):
    award = aw.give(aw.b_individual, LDTT, 2024)
    for user in (aw.cast.a_staff, aw.cast.outsider, aw.cast.branch_viewer):
        with pytest.raises(ValidationError):
            aw.give(aw.b_individual, LDTT, 2023, by=user)
        with pytest.raises(ValidationError):
            services.award_update(award=award, by=user, year=2023)
        with pytest.raises(ValidationError):
            services.award_delete(award=award, by=user)
    assert aw.history(aw.b_individual) == [("Lao động tiên tiến", 2024)]
    # The province above records for every commune of it.
    aw.give(aw.b_individual, LDTT, 2023, by=aw.cast.province_admin)


def test_catalogue_edits_are_for_the_central_union(aw):
    from decimal import Decimal

    from guongsang.accounts.models import User
    from guongsang.awards.models import BaseSalary, RuleKind

    entry = aw.catalogue[TTLDTT]
    rule = aw.catalogue[CSTD_CS].rules.get(kind=RuleKind.SHARE_CAP)
    refused = "Chỉ quản trị viên Trung ương Hội được sửa danh mục khen thưởng và lương cơ sở."
    for user in (aw.cast.province_admin, aw.cast.a_admin, aw.cast.a_staff, aw.cast.outsider):
        for call in (
            lambda: services.award_type_update(award_type=entry, by=user, prize_multiple="1"),
            lambda: services.rule_update(rule=rule, by=user, share=Decimal("0.2")),
            lambda: services.base_salary_add(
                by=user, valid_from=dt.date(2026, 7, 1), amount=2530000
            ),
        ):
            with pytest.raises(ValidationError) as exc:
                call()
            assert exc.value.messages == [refused]
    entry.refresh_from_db()
    rule.refresh_from_db()
    assert (entry.prize_multiple, rule.share, BaseSalary.objects.count()) == (
        Decimal("0.80"),
        Decimal("0.1500"),
        2,
    )
    root = User.objects.create_superuser("root.gs", password="x" * 12)
    for editor in (aw.central_admin, root):
        services.award_type_update(award_type=entry, by=editor, prize_multiple="0.9")
    entry.refresh_from_db()
    assert entry.prize_multiple == Decimal("0.90")


def test_catalogue_edit_validation(aw):
    from decimal import Decimal

    from guongsang.awards.models import RuleKind

    admin = aw.central_admin
    entry = aw.catalogue[CSTD_CS]
    with pytest.raises(ValidationError) as exc:
        services.award_type_update(
            award_type=entry,
            by=admin,
            name="lao động tiên tiến",
            quorum="2",
            approval="abc",
            vote_base="everyone",
            conferring_levels=["province", "planet"],
            prize_multiple="-1",
            for_individual=False,
        )
    assert messages(exc) == {
        "name": ["Danh mục đã có “lao động tiên tiến”."],
        "quorum": ["Tỷ lệ phải là số từ 0 đến 1."],
        "approval": ["Tỷ lệ phải là số từ 0 đến 1."],
        "vote_base": ["Cách tính tỷ lệ không hợp lệ."],
        "conferring_levels": ["Cấp được tặng không hợp lệ."],
        "prize_multiple": ["Hệ số tiền thưởng phải là số từ 0 đến 999."],
        "for_individual": ["Chọn ít nhất một loại đối tượng được tặng."],
    }
    changed = services.award_type_update(
        award_type=entry, by=admin, approval="0.7", conferring_levels=["central", "province"]
    )
    assert (changed.approval, changed.conferring_levels) == (
        Decimal("0.7000"),
        ["central", "province"],
    )
    streak = aw.catalogue["cstd-cap-tinh"].rules.get()
    with pytest.raises(ValidationError) as exc:
        services.rule_update(rule=streak, by=admin, years=0)
    assert messages(exc) == {"years": ["Số năm liên tục phải từ 1 trở lên."]}
    cap = entry.rules.get(kind=RuleKind.SHARE_CAP)
    with pytest.raises(ValidationError) as exc:
        services.rule_update(rule=cap, by=admin, share=Decimal("1.5"))
    assert messages(exc) == {"share": ["Tỷ lệ phải là số từ 0 đến 1."]}
    assert services.rule_update(rule=cap, by=admin, severity="block").severity == "block"
    with pytest.raises(ValidationError) as exc:
        services.base_salary_add(by=admin, valid_from=dt.date(2024, 7, 1), amount="12.5")
    assert messages(exc) == {
        "amount": ["Mức lương cơ sở phải là số đồng nguyên dương."],
        "valid_from": ["Đã có mức lương cơ sở áp dụng từ ngày 01/07/2024."],
    }
    services.base_salary_add(by=admin, valid_from=dt.date(2026, 7, 1), amount=2530000)
    assert services.base_salary_on(dt.date(2026, 7, 1)).amount == 2530000
    assert services.base_salary_on(dt.date(2026, 6, 30)).amount == 2340000
