"""The public column under /chuyen-muc/: no login, no cookies, no JavaScript, small pages; only
published stories whose subject's consent stands, and never a subject's private details."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import CatalogueKind, Category, SubjectKind
from guongsang.outreach import services
from guongsang.outreach.models import Story, StoryState

from .conftest import image_bytes

HOME = "/chuyen-muc/"
LIST = "/chuyen-muc/bai-viet/"
FEED = "/chuyen-muc/feed.xml"
API = "/api/v1/public/stories"
ATOM = "{http://www.w3.org/2005/Atom}"

# What the leaky subject's record holds; none of it may ever reach a public page.
PHONE = "0912345678"
ID_NUMBER = "012345678901"
ADDRESS = "Số 5 đường Kim Đồng"
BIRTH_YEAR = 1985
PRIVATE = [PHONE, ID_NUMBER, ADDRESS, "Kim Đồng", "Năm sinh", "năm sinh", "CCCD", "điện thoại"]


@dataclass
class Showcase:
    hanh: Story  # individual, branch A1 (commune A), advanced exemplar, this year, movement 1
    duyen: Story  # household, branch B1 (commune B), new model, last year, movement 2
    na_pan: Story  # collective, commune A itself, new factor, this year, movement 1
    draft: Story
    review: Story
    unpublished: Story
    unconsented: Story  # marked published but its subject never consented
    unconsented_name: str
    movement2: object


@pytest.fixture
def showcase(column, cast) -> Showcase:
    year = timezone.localdate().year
    movement2 = ex_services.movement_create(
        by=cast.province_admin,
        unit=cast.province,
        kind=CatalogueKind.CAMPAIGN,
        name="Xây dựng gia đình 5 không, 3 sạch",
        start_year=2017,
    )
    hanh = column.exemplar(
        SubjectKind.INDIVIDUAL,
        name="Nông Thị Hạnh",
        phone=PHONE,
        id_number=ID_NUMBER,
        address=ADDRESS,
        birth_year=BIRTH_YEAR,
    )
    duyen = column.exemplar(
        SubjectKind.HOUSEHOLD,
        unit=cast.branch_b,
        name="Hoàng Thị Duyên",
        category=Category.NEW_MODEL,
        year=year - 1,
        movement=movement2,
        phone="0987654321",
        address="Xóm Bản Giốc",
    )
    na_pan = column.exemplar(
        SubjectKind.COLLECTIVE,
        unit=cast.commune_a,
        name="Chi hội Nà Pàn",
        category=Category.NEW_FACTOR,
    )
    hanh_story = column.published(
        hanh,
        "Người gieo hạt thạch đen",
        summary="Chị Hạnh vận động 32 hộ trồng thạch đen.",
        body="<p>Chị Hạnh vận động hội viên trồng thạch đen &amp; chế biến.</p>",
    )
    services.story_image_add(
        by=cast.a_staff,
        story=hanh_story,
        upload=SimpleUploadedFile("vuon-thach-den.jpg", image_bytes(), "image/jpeg"),
        caption="Vườn thạch đen",
    )
    duyen_story = column.published(duyen, "Giữ nghề dệt thổ cẩm ở Bản Giốc")
    na_pan_story = column.published(na_pan, "Chi hội Nà Pàn: tổ tiết kiệm xoay vòng")
    draft = column.draft(hanh, "Bài nháp chưa được xem")
    review = column.in_review(hanh, "Bài đang chờ duyệt chưa công khai")
    unpublished = column.published(na_pan, "Bài đã gỡ khỏi chuyên mục")
    services.story_unpublish(by=cast.a_admin, story=unpublished)
    hidden = column.exemplar(SubjectKind.INDIVIDUAL, name="Lục Thị Bí Mật", phone="0977000111")
    unconsented = column.draft(hidden, "Bài về người chưa đồng ý")
    Story.objects.filter(pk=unconsented.pk).update(
        state=StoryState.PUBLISHED, published_at=timezone.now()
    )
    return Showcase(
        hanh=hanh_story,
        duyen=duyen_story,
        na_pan=na_pan_story,
        draft=draft,
        review=review,
        unpublished=unpublished,
        unconsented=unconsented,
        unconsented_name="Lục Thị Bí Mật",
        movement2=movement2,
    )


def titles_on(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html))


PUBLIC_TITLES = {
    "Người gieo hạt thạch đen",
    "Giữ nghề dệt thổ cẩm ở Bản Giốc",
    "Chi hội Nà Pàn: tổ tiết kiệm xoay vòng",
}


def public_urls(s: Showcase) -> list[str]:
    story_urls = [
        s.hanh.get_absolute_url(),
        s.duyen.get_absolute_url(),
        s.na_pan.get_absolute_url(),
    ]
    return [
        HOME,
        LIST,
        LIST + "?q=hanh",
        LIST + "?doi_tuong=individual",
        *story_urls,
        FEED,
        API,
        API + "?page=1",
        f"{API}/{s.hanh.slug}",
        f"{API}/{s.duyen.slug}",
    ]


# ---- no login, the pages themselves -----------------------------------------------------------
def test_every_public_page_opens_without_login(showcase):
    client = Client()
    for url in public_urls(showcase):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "dang-nhap" not in response.get("Location", "")


def test_home_shows_the_latest_stories(showcase):
    response = Client().get(HOME)
    html = response.content.decode()
    assert titles_on(response) == PUBLIC_TITLES
    # Latest first.
    assert html.index("Chi hội Nà Pàn: tổ tiết kiệm") < html.index("Người gieo hạt thạch đen")
    assert 'action="/chuyen-muc/bai-viet/"' in html  # search form
    assert 'href="/chuyen-muc/feed.xml"' in html


def test_list_filters(showcase, cast):
    client = Client()

    def titles(**params) -> set[str]:
        return titles_on(client.get(LIST, params))

    assert titles() == PUBLIC_TITLES
    assert titles(xa=cast.commune_a.pk) == {
        "Người gieo hạt thạch đen",
        "Chi hội Nà Pàn: tổ tiết kiệm xoay vòng",
    }
    assert titles(xa=cast.commune_b.pk) == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles(doi_tuong="household") == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles(doi_tuong="collective") == {"Chi hội Nà Pàn: tổ tiết kiệm xoay vòng"}
    assert titles(loai=Category.NEW_MODEL) == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles(loai=Category.ADVANCED_EXEMPLAR) == {"Người gieo hạt thạch đen"}
    assert titles(phong_trao=showcase.movement2.pk) == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    year = timezone.localdate().year
    assert titles(nam=year - 1) == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles(nam=year) == PUBLIC_TITLES - {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles(xa=cast.commune_a.pk, doi_tuong="individual") == {"Người gieo hạt thạch đen"}
    assert titles(xa=cast.commune_b.pk, loai=Category.NEW_FACTOR) == set()
    # Nonsense in the query string is ignored, not an error.
    assert titles(xa="abc", doi_tuong="robot", nam="x", phong_trao="-1") == PUBLIC_TITLES

    html = client.get(LIST).content.decode()
    # The commune choices: only communes with a public story.
    communes = re.findall(r'<option value="(\d+)"[^>]*>(Xã|Phường)[^<]*</option>', html)
    assert {int(pk) for pk, _ in communes} == {cast.commune_a.pk, cast.commune_b.pk}
    assert "Xã Hữu Lũng" not in html and "Thị trấn Đông Khê" not in html
    # The year and movement choices only offer what has public stories.
    assert f'<option value="{year - 1}"' in html and f'<option value="{year}"' in html
    assert "Xây dựng gia đình 5 không, 3 sạch" in html


def test_search_ignores_diacritics_and_case(showcase):
    client = Client()

    def titles(q: str) -> set[str]:
        return titles_on(client.get(LIST, {"q": q}))

    assert titles("gieo hat") == {"Người gieo hạt thạch đen"}
    assert titles("NGƯỜI GIEO HẠT") == {"Người gieo hạt thạch đen"}
    assert titles("tho cam ban gioc") == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles("nong thi hanh") == {"Người gieo hạt thạch đen"}  # the subject's name
    assert titles("duyen") == {"Giữ nghề dệt thổ cẩm ở Bản Giốc"}
    assert titles("na pan") == {"Chi hội Nà Pàn: tổ tiết kiệm xoay vòng"}
    assert titles("khong co bai nao nhu the") == set()
    assert titles("bai nhap") == set()  # drafts are not searchable
    assert titles("bi mat") == set()  # nor subjects without consent
    assert titles(PHONE) == set()  # nor phone numbers
    assert titles("kim dong") == set()  # nor addresses
    assert "Không có bài viết nào khớp." in client.get(LIST, {"q": "xyz"}).content.decode()


def test_story_page_with_photos_and_open_graph(showcase):
    story = showcase.hanh
    image = story.images.get()
    response = Client().get(story.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Người gieo hạt thạch đen</h1>" in html
    assert "Chị Hạnh vận động hội viên trồng thạch đen &amp; chế biến." in html
    # The photo's rendition (outreach.photos), with its srcset; never the original.
    assert (
        f'<img src="/chuyen-muc/anh/{image.pk}/40/" srcset="/chuyen-muc/anh/{image.pk}/40/ 40w"'
        in html
    )
    assert 'alt="Vườn thạch đen" loading="lazy" decoding="async">' in html
    assert "<figcaption>Vườn thạch đen</figcaption>" in html
    assert "Xã Đông Khê" in html  # the commune, never the branch's exact place
    og = dict(re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)">', html))
    assert og["og:type"] == "article"
    assert og["og:title"] == "Người gieo hạt thạch đen"
    assert og["og:description"] == "Chị Hạnh vận động 32 hộ trồng thạch đen."
    assert og["og:url"] == f"http://testserver{story.get_absolute_url()}"
    assert og["og:image"] == f"http://testserver/chuyen-muc/anh/{image.pk}/"
    assert og["og:site_name"] == "Gương Sáng"
    assert '<link rel="canonical" href="http://testserver/chuyen-muc/bai-viet/' in html
    # The photo itself, served publicly while the story is public.
    photo = Client().get(f"/chuyen-muc/anh/{image.pk}/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content).startswith(b"\xff\xd8\xff")


def test_open_graph_description_falls_back_to_the_body_as_plain_text(column, cast):
    exemplar = column.exemplar()
    story = column.published(
        exemplar, "Bài không tóm tắt", summary="", body="<p>Hội &amp; chi hội</p><p>Bản Giốc</p>"
    )
    html = Client().get(story.get_absolute_url()).content.decode()
    assert '<meta property="og:description" content="Hội &amp; chi hội Bản Giốc">' in html
    assert '<meta name="description" content="Hội &amp; chi hội Bản Giốc">' in html
    home = Client().get(HOME).content.decode()
    assert '<meta property="og:title" content="Gương Sáng: điển hình tiên tiến">' in home


def test_atom_feed_is_valid_xml_with_entries(showcase):
    response = Client().get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Gương Sáng: điển hình tiên tiến"
    entries = root.findall(f"{ATOM}entry")
    assert {e.find(f"{ATOM}title").text for e in entries} == PUBLIC_TITLES
    hanh = next(e for e in entries if e.find(f"{ATOM}title").text == "Người gieo hạt thạch đen")
    assert hanh.find(f"{ATOM}link").get("href") == (
        f"http://testserver{showcase.hanh.get_absolute_url()}"
    )
    assert hanh.find(f"{ATOM}summary").text == "Chị Hạnh vận động 32 hộ trồng thạch đen."
    assert hanh.find(f"{ATOM}published") is not None
    assert hanh.find(f"{ATOM}updated") is not None


def test_print_stylesheet(showcase):
    css = open(finders.find("gs/css/public.css"), encoding="utf-8").read()
    assert "@media print" in css
    printed = css[css.index("@media print") :]
    for hidden in (".pub-header", ".pub-footer", ".pub-filters", ".pub-search", ".pub-pages"):
        assert hidden in printed
    for url in (HOME, LIST, showcase.hanh.get_absolute_url()):
        html = Client().get(url).content.decode()
        assert re.search(r'<link rel="stylesheet" href="/static/gs/css/public\.css">', html), url


def test_pagination(column, cast):
    exemplar = column.exemplar()
    column.consent(exemplar)
    for n in range(1, 14):
        column.published(exemplar, f"Bài số {n:02d}")
    client = Client()
    first = client.get(LIST)
    assert len(titles_on(first)) == 12
    html = first.content.decode()
    assert "13 bài viết" in html
    assert "Trang 1/2" in html
    assert 'href="?page=2"' in html
    second = client.get(LIST, {"page": 2})
    assert titles_on(second) == {"Bài số 01"}  # the oldest
    assert "Trang 2/2" in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()
    # Filters are kept across pages.
    filtered = client.get(LIST, {"q": "bai so", "doi_tuong": "individual"}).content.decode()
    assert 'href="?q=bai%20so&amp;doi_tuong=individual&amp;page=2"' in filtered
    # A page out of range shows the last page, not an error.
    assert client.get(LIST, {"page": 99}).status_code == 200
    # The home page shows the six latest.
    assert titles_on(client.get(HOME)) == {f"Bài số {n:02d}" for n in range(8, 14)}


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="/static/([^"]+)">', html)


def test_public_pages_are_small_and_have_no_script(column, cast):
    exemplar = column.exemplar()
    long_body = "".join(
        f"<h2>Phần {i}</h2><p>{'Chị em trong xóm cùng nhau dệt thổ cẩm. ' * 30}</p>"
        for i in range(12)
    )
    story = None
    for n in range(14):
        story = column.published(exemplar, f"Bài dài số {n:02d}", body=long_body)
    services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("anh.jpg", image_bytes(size=(800, 600)), "image/jpeg"),
        caption="Ảnh",
    )
    client = Client()
    for url in (HOME, LIST, LIST + "?page=2", story.get_absolute_url(), FEED):
        response = client.get(url)
        html = response.content.decode()
        css = _stylesheets(html)
        if url != FEED:
            assert css == ["gs/css/public.css"], url  # one stylesheet, the photos' layout in it
        weight = len(response.content) + sum(
            len(open(finders.find(path), "rb").read()) for path in css
        )
        assert weight < 200 * 1024, (url, weight)
        assert "<script" not in html.lower(), url
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url
        assert "htmx" not in html, url


def test_no_cookies_on_public_responses(showcase):
    client = Client()
    image = showcase.hanh.images.get()
    urls = public_urls(showcase) + [f"/chuyen-muc/anh/{image.pk}/", LIST + "?page=2"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url
    assert not client.cookies


def test_view_count_without_cookies(showcase):
    story = showcase.duyen
    client = Client()
    for n in range(1, 4):
        response = client.get(story.get_absolute_url())
        assert not response.cookies
        story.refresh_from_db()
        assert story.view_count == n
        assert f"{n} lượt xem" in response.content.decode()
    Client().get(story.get_absolute_url())  # another visitor
    story.refresh_from_db()
    assert story.view_count == 4
    # The list, the feed and the API do not count.
    Client().get(LIST)
    Client().get(FEED)
    Client().get(f"{API}/{story.slug}")
    story.refresh_from_db()
    assert story.view_count == 4
    # A story not public is not counted.
    Client().get(f"/chuyen-muc/bai-viet/{showcase.draft.slug}/")
    showcase.draft.refresh_from_db()
    assert showcase.draft.view_count == 0


# ---- what never shows -------------------------------------------------------------------------
def _number_in(number: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){number}(?!\d)", text) is not None


def test_public_pages_never_show_private_details(showcase):
    client = Client()
    hidden_titles = [
        showcase.draft.title,
        showcase.review.title,
        showcase.unpublished.title,
        showcase.unconsented.title,
    ]
    for url in public_urls(showcase):
        text = client.get(url).content.decode()
        for secret in PRIVATE:
            assert secret not in text, (url, secret)
        for number in (PHONE, ID_NUMBER, "0987654321", "0977000111", str(BIRTH_YEAR), "1979"):
            assert not _number_in(number, text), (url, number)
        assert "Xóm Bản Giốc" not in text
        for title in hidden_titles:
            assert title not in text, (url, title)
        assert showcase.unconsented_name not in text, url
    # The stories that are not public answer 404 in every form.
    for story in (showcase.draft, showcase.review, showcase.unpublished, showcase.unconsented):
        assert client.get(f"/chuyen-muc/bai-viet/{story.slug}/").status_code == 404
        assert client.get(f"{API}/{story.slug}").status_code == 404
    api = client.get(API).json()
    assert {item["title"] for item in api["items"]} == PUBLIC_TITLES
    assert api["count"] == 3
    for item in api["items"]:
        assert set(item) >= {"slug", "title", "summary", "body_html", "url", "commune", "year"}
        for key in ("phone", "id_number", "address", "birth_year"):
            assert key not in item


def test_public_api_needs_no_token_and_pages(showcase):
    client = Client()
    body = client.get(API, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    item = client.get(f"{API}/{showcase.hanh.slug}").json()
    assert item["title"] == "Người gieo hạt thạch đen"
    assert item["subject_name"] == "Nông Thị Hạnh"
    assert item["subject_kind"] == "individual"
    assert item["commune"] == "Xã Đông Khê"
    assert item["url"] == showcase.hanh.get_absolute_url()
    assert item["body_text"] == "Chị Hạnh vận động hội viên trồng thạch đen & chế biến."
    assert item["image_urls"] == [f"/chuyen-muc/anh/{showcase.hanh.images.get().pk}/"]
    # Read only.
    assert client.post(API, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{API}/{showcase.hanh.slug}").status_code == 405


def test_list_and_home_query_counts_do_not_grow_with_stories(column, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exemplar = column.exemplar()

    def counts() -> tuple[int, int]:
        out = []
        for url in (HOME, LIST):
            with CaptureQueriesContext(connection) as ctx:
                assert Client().get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return tuple(out)

    def add(n: int) -> None:
        for i in range(n):
            story = column.published(exemplar, f"Bài {Story.objects.count()} {i}")
            services.story_image_add(
                by=cast.a_staff,
                story=story,
                upload=SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"),
            )

    add(2)
    few = counts()
    add(12)
    assert counts() == few


def test_public_responses_are_not_kept_stale_by_caches(showcase):
    """Withdrawing consent takes a story off at once: no browser or proxy may keep serving a
    page or photo of it without asking again."""
    image = showcase.hanh.images.get()
    urls = [HOME, LIST, showcase.hanh.get_absolute_url(), FEED, f"/chuyen-muc/anh/{image.pk}/"]
    for url in urls:
        cache_control = Client().get(url).get("Cache-Control", "")
        ages = [int(v) for v in re.findall(r"max-age=(\d+)", cache_control)]
        assert all(age == 0 for age in ages), (url, cache_control)
        assert "immutable" not in cache_control


def test_many_communes_are_chosen_by_typing_a_name(showcase, cast, monkeypatch):
    """Above a hundred communes with stories (a national column) the filter is a text field:
    no list of options to download; the name is typed with or without accents or "Xã"."""
    from guongsang.outreach import public_views

    monkeypatch.setattr(public_views, "COMMUNE_SELECT_MAX", 1)
    cache.clear()
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)  # nothing outlives the test
    client = Client()

    def page(**params) -> str:
        return client.get(LIST, params).content.decode()

    html = page()
    assert f'<option value="{cast.commune_a.pk}"' not in html
    assert 'name="xa_ten"' in html
    for typed in ("dong khe", "Xã Đông Khê", "ĐÔNG KHÊ"):
        assert titles_on(client.get(LIST, {"xa_ten": typed})) == {
            "Người gieo hạt thạch đen",
            "Chi hội Nà Pàn: tổ tiết kiệm xoay vòng",
        }
    # A name with no stories, or that names several communes, filters to nothing and says why,
    # keeping what was typed.
    html = page(xa_ten="Hữu Lũng")
    assert "Không có xã, phường nào tên “Hữu Lũng” có bài viết." in html
    assert 'value="Hữu Lũng"' in html
    assert titles_on(client.get(LIST, {"xa_ten": "Hữu Lũng"})) == set()
    html = page(xa_ten="g")
    assert "xã, phường khớp với “g”" in html
    assert f'href="?xa={cast.commune_a.pk}"' in html and f'href="?xa={cast.commune_b.pk}"' in html
    assert client.get(LIST, {"xa_ten": "\x00" * 300}).status_code == 200
