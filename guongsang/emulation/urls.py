from . import block_urls, ranking_urls, score_urls

app_name = "emulation"

# Under /thi-dua/: blocks, pledges and points tables (block_urls); schedules and the three
# scoring steps (score_urls); rankings, the block meeting and the outputs (ranking_urls).
urlpatterns: list = []
urlpatterns += block_urls.urlpatterns
urlpatterns += score_urls.urlpatterns
urlpatterns += ranking_urls.urlpatterns
