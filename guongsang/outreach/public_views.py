"""The public column: no login, no cookies, no JavaScript; only published stories whose
subject's consent stands (outreach.access.public_stories)."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from guongsang.core.richtext import plain_text
from guongsang.core.text import search_tokens
from guongsang.exemplars.models import Category, Movement, SubjectKind
from guongsang.exemplars.services import commune_of
from guongsang.units.models import PATH_END, Unit, UnitKind

from . import access as oa
from . import services

PAGE_SIZE = 12


def _communes_with_stories():
    paths = set(oa.public_stories().values_list("exemplar__subject__unit__path", flat=True))
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True)
    return [c for c in communes.order_by("name_folded") if any(p.startswith(c.path) for p in paths)]


@require_GET
@cache_control(public=True, no_cache=True)  # revalidated: a withdrawn story goes at once
def home(request):
    latest = list(oa.public_stories().prefetch_related("images").order_by("-published_at")[:6])
    return render(request, "public/home.html", {"stories": latest})


@require_GET
@cache_control(public=True, no_cache=True)
def story_list(request):
    get = request.GET
    qs = oa.public_stories()
    commune = None
    if get.get("xa", "").isdigit():
        commune = Unit.objects.filter(pk=int(get["xa"]), kind=UnitKind.COMMUNE).first()
        if commune is not None:
            qs = qs.filter(
                exemplar__subject__unit__path__gte=commune.path,
                exemplar__subject__unit__path__lt=commune.path + PATH_END,
            )
    if get.get("doi_tuong") in SubjectKind.values:
        qs = qs.filter(exemplar__subject__kind=get["doi_tuong"])
    if get.get("loai") in Category.values:
        qs = qs.filter(exemplar__category=get["loai"])
    if get.get("phong_trao", "").isdigit():
        qs = qs.filter(exemplar__movement_id=int(get["phong_trao"]))
    if get.get("nam", "").isdigit():
        qs = qs.filter(exemplar__year=int(get["nam"]))
    for token in search_tokens(get.get("q")):
        qs = qs.filter(title_folded__contains=token) | qs.filter(
            exemplar__subject__name_folded__contains=token
        )
    page = Paginator(
        qs.prefetch_related("images").order_by("-published_at", "-pk"), PAGE_SIZE
    ).get_page(get.get("page"))
    years = sorted(set(oa.public_stories().values_list("exemplar__year", flat=True)), reverse=True)
    movements = Movement.objects.filter(pk__in=oa.public_stories().values("exemplar__movement_id"))
    return render(
        request,
        "public/story_list.html",
        {
            "page": page,
            "q": get.get("q", ""),
            "communes": _communes_with_stories(),
            "commune": commune,
            "kinds": SubjectKind.choices,
            "categories": Category.choices,
            "movements": movements,
            "years": years,
            "get": get,
        },
    )


@require_GET
def story_detail(request, slug):
    story = oa.get_public_story(slug)
    services.story_viewed(story)
    return render(
        request,
        "public/story_detail.html",
        {
            "story": story,
            "images": story.images.all(),
            "commune": commune_of(story.exemplar.subject.unit),
            "description": story.summary or plain_text(story.body)[:200],
            "absolute_url": request.build_absolute_uri(story.get_absolute_url()),
            "cover": story.images.first(),
        },
    )


@require_GET
def story_image(request, pk):
    image = oa.get_story_image(request.user if request.user.is_authenticated else None, pk)
    response = FileResponse(
        image.file.open("rb"), content_type="image/jpeg" if image.kind == "jpg" else "image/png"
    )
    # Not kept by browsers or proxies: a photo of a story whose consent was withdrawn must not
    # outlive it in a cache.
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
        return item.summary or plain_text(item.body)[:300]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
