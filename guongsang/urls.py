import os

from django.contrib import admin
from django.urls import include, path

from guongsang.api.api import api
from guongsang.awards.public_views import verify_certificate
from guongsang.reports.home_views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("guongsang.core.urls")),
    path("", include("guongsang.accounts.urls")),
    path("don-vi/", include("guongsang.units.urls")),
    path("dien-hinh/", include("guongsang.exemplars.urls")),
    path("van-ban/", include("guongsang.plans.urls")),
    path("thong-bao/", include("guongsang.notifications.urls")),
    path("tuyen-truyen/", include("guongsang.outreach.urls")),
    path("khen-thuong/", include("guongsang.awards.urls")),
    path("bao-cao/", include("guongsang.reports.urls")),
    path("thi-dua/", include("guongsang.emulation.urls")),
    path("nhat-ky/", include("guongsang.audit.urls")),
    path("tac-vu/", include("guongsang.jobs.urls")),
    path("chuyen-muc/", include("guongsang.outreach.public_urls")),
    path("xac-minh/<str:code>/", verify_certificate, name="verify"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri-he-thong/", admin.site.urls),
]

if os.environ.get("BENCH_BARE_VIEW") == "1":  # benchmarks/throughput.py only, never by default
    from guongsang.units.bench_views import bare, bare_logged_in

    urlpatterns.append(path("bench/bare/", bare, name="bench_bare"))
    urlpatterns.append(path("bench/bare-logged-in/", bare_logged_in, name="bench_bare_logged_in"))
