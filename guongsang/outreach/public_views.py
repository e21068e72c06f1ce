"""The public column: no login, no cookies, no JavaScript; only published stories whose
subject's consent stands (outreach.access.public_stories)."""

import hashlib
import re

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from guongsang.core.forms import filter_errors, valid_values
from guongsang.core.text import fold, search_tokens
from guongsang.exemplars.models import Category, Movement, SubjectKind
from guongsang.exemplars.services import commune_of
from guongsang.units.models import PATH_END, SEGMENT_WIDTH, Unit, UnitKind

from . import access as oa
from . import bodies, photos, services
from .forms import PublicFilterForm
from .models import Story, StoryState

PAGE_SIZE = 12
# Up to this many communes with stories the filter is a list; above it, a name to type.
COMMUNE_SELECT_MAX = 100
COMMUNE_MATCHES_SHOWN = 10


# Seconds a cached list page or filter choices may live: a backstop for changes made outside
# the services (an exemplar's year edited in the admin); the services change the version.
CACHE_SECONDS = 300


def _column_version() -> str:
    """The time of the last change to any story: publishing, editing, adding a photo,
    unpublishing (also by a consent withdrawal, which sets it too) all move it. One row read
    from the end of ``story_updated_idx``, the same answer for every worker process whatever
    the cache backend."""
    last = Story.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return f"{last.timestamp()}" if last else "0"


def _published_version() -> str:
    """Changes when a story enters or leaves the public column (publishing sets ``updated_at``,
    unpublishing lowers the count), not when a draft is edited: the filter choices take a
    few hundred milliseconds to compute at national scale, so they keep their own version."""
    row = Story.objects.filter(state=StoryState.PUBLISHED).aggregate(
        n=Count("*"), last=Max("updated_at"), top=Max("id")
    )
    last = row["last"].timestamp() if row["last"] else 0
    return f"{row['n']}-{row['top']}-{last}"


def _compute_facets() -> dict:
    public = oa.public_stories().order_by()
    # A commune has stories when its path is a prefix of a story's unit path (fixed-width
    # segments): collect the prefixes, then fetch the communes among them on the path index.
    paths = set(public.values_list("exemplar__subject__unit__path", flat=True))
    prefixes = {p[:i] for p in paths for i in range(SEGMENT_WIDTH, len(p) + 1, SEGMENT_WIDTH)}
    communes = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True, path__in=prefixes)
        .select_related("parent")
        .only("pk", "name", "path", "name_folded", "parent__name")
        .order_by("name_folded", "pk")
    )
    years = sorted(set(public.values_list("exemplar__year", flat=True).distinct()), reverse=True)
    movements = list(Movement.objects.filter(pk__in=public.values("exemplar__movement_id")))
    # Rendered once here, and only while the list is short: a national column may offer well
    # over a thousand communes, which a phone should not download; then the reader types a name.
    options = (
        format_html_join("", '<option value="{}">{}</option>', ((c.pk, c.name) for c in communes))
        if len(communes) <= COMMUNE_SELECT_MAX
        else ""
    )
    # Only plain values are kept: the cache unpickles what it returns on every request.
    return {
        "commune_options": options,
        "communes": [
            (c.pk, f"{c.name} – {c.parent.name}" if c.parent else c.name, c.name_folded)
            for c in communes
        ],
        "years": years,
        "movements": movements,
        "total": public.count(),
    }


_KIND_WORDS = re.compile(r"^(xa|phuong|dac khu|thi tran)\s+")


def resolve_commune(facets: dict, text: str) -> tuple[int | None, str, list]:
    """The commune with public stories that ``text`` names (accents and "Xã"/"Phường" optional):
    (id, "", []) when one matches; (None, message, matches) otherwise."""
    wanted = fold(text)
    if not wanted:
        return None, "", []
    exact, partial = [], []
    for pk, name, folded in facets["communes"]:
        bare = _KIND_WORDS.sub("", folded)
        if wanted in (folded, bare):
            exact.append((pk, name))
        elif wanted in folded:
            partial.append((pk, name))
    found = exact or partial
    if len(found) == 1:
        return found[0][0], "", []
    if not found:
        return None, _("Không có xã, phường nào tên “%(text)s” có bài viết.") % {"text": text}, []
    return (
        None,
        _("Có %(n)s xã, phường khớp với “%(text)s”: chọn một.") % {"n": len(found), "text": text},
        found[:COMMUNE_MATCHES_SHOWN],
    )


def _commune_options(facets: dict, commune: Unit | None) -> str:
    options = facets["commune_options"]
    if commune is not None:
        mark = f'<option value="{commune.pk}">'
        # Escaped by format_html_join; only " selected" is added to one option.
        options = mark_safe(options.replace(mark, mark[:-1] + " selected>", 1))  # noqa: S308
    return options


def public_facets() -> dict:
    """The filter choices of the public list (communes, years and movements that have public
    stories), cached per version of the published stories instead of read from every story on
    every request."""
    key = f"outreach:public-facets:{_published_version()}"
    facets = cache.get(key)
    if facets is None:
        facets = _compute_facets()
        cache.set(key, facets, CACHE_SECONDS)
    return facets


@require_GET
@cache_control(public=True, no_cache=True)  # revalidated: a withdrawn story goes at once
def home(request):
    latest = list(oa.public_stories().prefetch_related("images").order_by("-published_at")[:6])
    return render(request, "public/home.html", {"stories": latest})


@require_GET
@cache_control(public=True, no_cache=True)
def story_list(request):
    """The list is the same for every reader (no login, no cookie): each page is rendered once
    per version of the column, language and query string, then served from the cache."""
    version = _column_version()
    wanted = f"{version}|{get_language()}|{request.GET.urlencode()}"
    key = "outreach:public-list:" + hashlib.sha256(wanted.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = _story_list(request).content
        cache.set(key, content, CACHE_SECONDS)
    return HttpResponse(content)


def _story_list(request):
    get = request.GET
    filters = []
    commune = None
    facets = public_facets()
    commune_id, commune_message, commune_matches = None, "", []
    form = PublicFilterForm(get)
    values = valid_values(form)  # a filter that does not parse is ignored, its error shown
    if "xa" in values:
        commune_id = values["xa"]
    elif values.get("xa_ten"):
        commune_id, commune_message, commune_matches = resolve_commune(facets, values["xa_ten"])
        if commune_id is None:
            filters.append(Q(pk__in=[]))  # a name that names no commune shows no stories
    if commune_id is not None:
        commune = Unit.objects.filter(pk=commune_id, kind=UnitKind.COMMUNE).first()
        if commune is not None:
            filters.append(
                Q(
                    exemplar__subject__unit__path__gte=commune.path,
                    exemplar__subject__unit__path__lt=commune.path + PATH_END,
                )
            )
    if "doi_tuong" in values:
        filters.append(Q(exemplar__subject__kind=values["doi_tuong"]))
    if "loai" in values:
        filters.append(Q(exemplar__category=values["loai"]))
    if "phong_trao" in values:
        filters.append(Q(exemplar__movement_id=values["phong_trao"]))
    if "nam" in values:
        filters.append(Q(exemplar__year=values["nam"]))
    for token in search_tokens(values.get("q")):
        filters.append(
            Q(title_folded__contains=token) | Q(exemplar__subject__name_folded__contains=token)
        )
    qs = oa.public_stories()
    for f in filters:
        qs = qs.filter(f)
    paginator = Paginator(qs.prefetch_related("images").order_by("-published_at", "-pk"), PAGE_SIZE)
    if not filters:
        paginator.count = facets["total"]  # the whole column, counted with the facets
    page = paginator.get_page(get.get("page"))
    return render(
        request,
        "public/story_list.html",
        {
            "page": page,
            "q": get.get("q", ""),
            "filter_errors": filter_errors(form, ("q", "xa_ten", "nam")),
            "commune_options": _commune_options(facets, commune),
            "commune": commune,
            "commune_text": get.get("xa_ten", "") if commune is None else commune.name,
            "commune_message": commune_message,
            "commune_matches": commune_matches,
            "kinds": SubjectKind.choices,
            "categories": Category.choices,
            "movements": facets["movements"],
            "years": facets["years"],
            "get": get,
        },
    )


@require_GET
def story_detail(request, slug):
    story = oa.get_public_story(slug)
    services.story_viewed(story)
    images = list(story.images.all())
    rendered = bodies.render_story(story, images)
    return render(
        request,
        "public/story_detail.html",
        {
            "story": story,
            "rendered": rendered,
            "images": images,
            "commune": commune_of(story.exemplar.subject.unit),
            "description": story.summary or rendered.text[:200],
            "absolute_url": request.build_absolute_uri(story.get_absolute_url()),
            "cover": images[0] if images else None,
        },
    )


@require_GET
def story_image(request, pk, width=None):
    """A story photo as the public loads it: one of its renditions (the largest without a
    width), never the original (staff download it from the back office). Public only while
    its story is (published, consent standing); otherwise only for back-office readers."""
    image = oa.get_story_image(request.user if request.user.is_authenticated else None, pk)
    rendition = image.rendition(width)
    if rendition is None:
        raise Http404
    # Revalidated on every use (no-cache), so a photo of a story whose consent was withdrawn
    # does not outlive it in a cache; a rendition's name never changes, so an unchanged
    # photo costs a 304 and no bytes.
    etag = '"' + hashlib.sha256(rendition["name"].encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(rendition["name"], "rb"),
            content_type=photos.content_type(rendition["name"]),
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


class StoriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Gương Sáng: điển hình tiên tiến")
    subtitle = _("Những tấm gương tiêu biểu của các cấp Hội LHPN")

    def link(self):
        return reverse("public:story_list")

    def items(self):
        return oa.public_stories().order_by("-published_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or bodies.render_story(item, images=()).text[:300]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
